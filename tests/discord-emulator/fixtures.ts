import {
  ChannelType,
  type APIGuildMember,
  type GuildMemberFlags,
  type RoleFlags,
  type APIOverwrite,
  type APIRole,
  type APIUser,
} from 'discord.js';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from './permissions.ts';
import type { SnowflakeGenerator } from './snowflake.ts';

/** Discord's timestamp format: ISO 8601 with an explicit +00:00 offset. */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

export interface ChannelSpec {
  id?: string;
  name?: string;
  /** Default: a text channel. */
  type?: ChannelType;
  topic?: string | null;
  permissionOverwrites?: APIOverwrite[];
}

export interface RoleSpec {
  id?: string;
  name: string;
  permissions: bigint;
}

export interface GuildSpec {
  id?: string;
  name?: string;
  /** Default: a user who is neither the bot nor the default member. */
  ownerId?: string;
  /** Permissions of @everyone. Default: a fresh server's. */
  everyonePermissions?: bigint;
  /** Permissions of the bot's managed role. Default: send, embed, attach, read history, pin. */
  botPermissions?: bigint;
  /** Default: one text channel, #general. */
  channels?: ChannelSpec[];
  /** Extra roles (e.g. a moderator role to give the invoking member). */
  roles?: RoleSpec[];
}

/** A guild channel as the emulator keeps it (the shape Discord sends for text channels). */
export interface EmulatorChannel {
  id: string;
  type: ChannelType;
  guild_id: string;
  name: string;
  position: number;
  permission_overwrites: APIOverwrite[];
  topic: string | null;
  nsfw: boolean;
  parent_id: string | null;
  last_message_id: string | null;
  last_pin_timestamp: string | null;
  rate_limit_per_user: number;
  flags: number;
}

export interface EmulatorGuild {
  id: string;
  name: string;
  ownerId: string;
  /** `roles[0]` is @everyone (its id is the guild's), `roles[1]` the bot's managed role. */
  roles: APIRole[];
  botRoleId: string;
  channels: EmulatorChannel[];
  botMember: APIGuildMember;
  joinedAt: string;
}

export function makeBotUser(id: string, username: string): APIUser {
  return {
    id,
    username,
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
    system: false,
    mfa_enabled: true,
    banner: null,
    accent_color: null,
    locale: 'en-US',
    verified: true,
    email: null,
    premium_type: 0,
  };
}

export function makeUser(id: string, username: string): APIUser {
  return {
    id,
    username,
    discriminator: '0',
    global_name: username.charAt(0).toUpperCase() + username.slice(1),
    avatar: null,
  };
}

export function makeRole(input: { id: string; name: string; permissions: bigint; position: number; botId?: string }): APIRole {
  return {
    id: input.id,
    name: input.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: input.position,
    permissions: input.permissions.toString(),
    managed: input.botId !== undefined,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...(input.botId === undefined ? {} : { tags: { bot_id: input.botId } }),
  };
}

export function makeMember(user: APIUser, roleIds: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles: roleIds,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function makeGuild(spec: GuildSpec, input: { ids: SnowflakeGenerator; botUser: APIUser; ownerId: string; now: number }): EmulatorGuild {
  const id = spec.id ?? input.ids.next();
  const joinedAt = isoTimestamp(input.now);
  const botRoleId = input.ids.next();
  const roles: APIRole[] = [
    makeRole({ id, name: '@everyone', permissions: spec.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS, position: 0 }),
    makeRole({
      id: botRoleId,
      name: input.botUser.username,
      permissions: spec.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
      position: 1,
      botId: input.botUser.id,
    }),
    ...(spec.roles ?? []).map((role, index) =>
      makeRole({ id: role.id ?? input.ids.next(), name: role.name, permissions: role.permissions, position: index + 2 }),
    ),
  ];
  const channels = (spec.channels ?? [{ name: 'general' }]).map(
    (channel, position): EmulatorChannel => ({
      id: channel.id ?? input.ids.next(),
      type: channel.type ?? ChannelType.GuildText,
      guild_id: id,
      name: channel.name ?? `channel-${position + 1}`,
      position,
      permission_overwrites: channel.permissionOverwrites ?? [],
      topic: channel.topic ?? null,
      nsfw: false,
      parent_id: null,
      last_message_id: null,
      last_pin_timestamp: null,
      rate_limit_per_user: 0,
      flags: 0,
    }),
  );
  return {
    id,
    name: spec.name ?? 'Emulated Guild',
    ownerId: spec.ownerId ?? input.ownerId,
    roles,
    botRoleId,
    channels,
    botMember: makeMember(input.botUser, [botRoleId], joinedAt),
    joinedAt,
  };
}

/** The GUILD_CREATE dispatch data for a guild the bot is in. */
export function guildCreateData(guild: EmulatorGuild): Record<string, unknown> {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: guild.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: guild.channels[0]?.id ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    hub_type: null,
    incidents_data: null,
    // GUILD_CREATE-only fields.
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [guild.botMember],
    channels: guild.channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    lazy: true,
    application_command_counts: {},
    embedded_activities: [],
  };
}
