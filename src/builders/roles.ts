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

/** Role number → label (`PUBLISHER: 1` → `1: 'publisher'`), for argument checks and messages. */
function labels(roles: Readonly<Record<string, number>>): Readonly<Record<number, string>> {
  return Object.freeze(Object.fromEntries(Object.entries(roles).map(([name, value]) => [value, name.toLowerCase().split('_').join(' ')])));
}

/** {@link RtcRole} by number. */
export const RTC_ROLES = labels(RtcRole);
/** {@link RtcRole006} by number. */
export const RTC006_ROLES = labels(RtcRole006);
/** {@link RtmRole} by number. */
export const RTM006_ROLES = labels(RtmRole);
