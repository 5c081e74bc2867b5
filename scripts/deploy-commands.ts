import { REST } from '@discordjs/rest';
import { Routes, type RESTPutAPIApplicationCommandsResult } from 'discord-api-types/v10';
import { commandDefinitions } from '../commands/index.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

/**
 * Registers the command registry with Discord: to DISCORD_GUILD_ID when set (updates at once,
 * for development), else globally (propagates over a while). A bulk PUT replaces every command
 * of the application, so commands removed from the registry disappear too.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const missing = [!config.DISCORD_TOKEN && 'DISCORD_TOKEN', !config.DISCORD_APPLICATION_ID && 'DISCORD_APPLICATION_ID'].filter(Boolean);
  if (missing.length > 0 || !config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
    console.error(`deploy-commands needs ${missing.join(' and ')} (see .env.example).`);
    return 1;
  }
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(config.DISCORD_TOKEN);
  const route = config.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, config.DISCORD_GUILD_ID)
    : Routes.applicationCommands(config.DISCORD_APPLICATION_ID);
  const registered = (await rest.put(route, { body: commandDefinitions() })) as RESTPutAPIApplicationCommandsResult;
  const where = config.DISCORD_GUILD_ID ? `server ${config.DISCORD_GUILD_ID} (available at once)` : 'globally (may take a while to appear everywhere)';
  console.log(`Registered ${registered.length} commands ${where}:`);
  for (const command of registered) {
    const label = command.type === 1 || command.type === undefined ? `/${command.name}` : `"${command.name}" (message menu)`;
    console.log(`  ${label}${command.description ? ` — ${command.description}` : ''}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`deploy-commands failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
