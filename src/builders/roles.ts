/** AccessToken2 RTC roles (`RtcTokenBuilder2`): a publisher also gets the publish privileges. */
export const RtcRole = {
  PUBLISHER: 1,
  SUBSCRIBER: 2,
} as const;
/** A value of {@link RtcRole}. */
export type RtcRoleValue = (typeof RtcRole)[keyof typeof RtcRole];

/** Legacy 006 RTC roles (`RtcTokenBuilder`). */
export const RtcRole006 = {
  ATTENDEE: 0,
  PUBLISHER: 1,
  SUBSCRIBER: 2,
  ADMIN: 101,
} as const;
/** A value of {@link RtcRole006}. */
export type RtcRole006Value = (typeof RtcRole006)[keyof typeof RtcRole006];

/** Legacy 006 RTM role (`RtmTokenBuilder`): the reference defines one. */
export const RtmRole = {
  RTM_USER: 1,
} as const;
/** A value of {@link RtmRole}. */
export type RtmRoleValue = (typeof RtmRole)[keyof typeof RtmRole];

/** Role number → label, for argument checks and messages. */
export const RTC_ROLES: Readonly<Record<number, string>> = { 1: 'publisher', 2: 'subscriber' };
export const RTC006_ROLES: Readonly<Record<number, string>> = { 0: 'attendee', 1: 'publisher', 2: 'subscriber', 101: 'admin' };
export const RTM006_ROLES: Readonly<Record<number, string>> = { 1: 'RTM user' };
