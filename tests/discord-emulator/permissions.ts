import { PermissionFlagsBits, type APIOverwrite, type APIRole } from 'discord.js';

/** Every permission bit discord.js knows. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What @everyone may do in a fresh server. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.ChangeNickname;

/**
 * What the bot's own (managed) role grants by default: enough to answer and to pin.
 * PIN_MESSAGES (1 << 51) is separate from MANAGE_MESSAGES, which no longer implies it.
 */
export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.PinMessages;

/**
 * A member's permissions in a channel, by Discord's algorithm: @everyone and the member's roles,
 * ADMINISTRATOR or ownership short-circuit, then the channel's @everyone, role and member
 * overwrites in that order.
 */
export function channelPermissions(input: {
  guildId: string;
  ownerId: string;
  roles: readonly APIRole[];
  overwrites: readonly APIOverwrite[];
  userId: string;
  memberRoleIds: readonly string[];
}): bigint {
  if (input.userId === input.ownerId) return ALL_PERMISSIONS;
  const roleById = new Map(input.roles.map((role) => [role.id, role]));
  let permissions = BigInt(roleById.get(input.guildId)?.permissions ?? '0');
  for (const roleId of input.memberRoleIds) permissions |= BigInt(roleById.get(roleId)?.permissions ?? '0');
  if ((permissions & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS;

  const overwriteFor = (id: string) => input.overwrites.find((overwrite) => overwrite.id === id);
  const everyone = overwriteFor(input.guildId);
  if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const roleId of input.memberRoleIds) {
    const overwrite = overwriteFor(roleId);
    if (!overwrite) continue;
    allow |= BigInt(overwrite.allow);
    deny |= BigInt(overwrite.deny);
  }
  permissions = (permissions & ~deny) | allow;
  const member = overwriteFor(input.userId);
  if (member) permissions = (permissions & ~BigInt(member.deny)) | BigInt(member.allow);
  return permissions;
}

/** The names of the permission bits set in `permissions`, for readable failure messages. */
export function permissionNames(permissions: bigint): string[] {
  return Object.entries(PermissionFlagsBits)
    .filter(([, bit]) => (permissions & bit) === bit)
    .map(([name]) => name);
}
