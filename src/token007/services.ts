/**
 * The AccessToken2 services as data: per service type, its name, its privileges and the fields
 * that follow the privileges on the wire, in wire order. Packing, decoding and printing all read
 * this table; a new service is one row.
 */

/** How a field is packed: `string` is u16 length + UTF-8, `role` is a 16-bit integer. */
export type FieldKind = 'string' | 'role' | 'permissions';

/** The name of a service field, as the golden vectors and decoded tokens spell it. */
export type ServiceFieldName =
  | 'channelName'
  | 'uid'
  | 'account'
  | 'userId'
  | 'roomUuid'
  | 'userUuid'
  | 'role'
  | 'permissions';

/** One field of a service's wire layout. */
export interface FieldSpec {
  /** The field's name in decoded tokens and in the golden vectors. */
  readonly name: ServiceFieldName;
  /** How the field is packed. */
  readonly kind: FieldKind;
}

/** One row of the service table. */
export interface ServiceSpec {
  /** Wire type (u16). */
  readonly type: number;
  /** Short machine name, e.g. `chat`. */
  readonly name: string;
  /** Human name, e.g. `Chat`. */
  readonly label: string;
  /** Privilege id → name. */
  readonly privileges: Readonly<Record<number, string>>;
  /** Fields after the privilege map, in wire order. */
  readonly fields: readonly FieldSpec[];
}

const str = (name: ServiceFieldName): FieldSpec => ({ name, kind: 'string' });

/** Every service type this library can pack and read, keyed by wire type. */
export const SERVICES: Readonly<Record<number, ServiceSpec>> = {
  1: {
    type: 1, name: 'rtc', label: 'RTC',
    privileges: { 1: 'joinChannel', 2: 'publishAudioStream', 3: 'publishVideoStream', 4: 'publishDataStream' },
    fields: [str('channelName'), str('uid')],
  },
  2: { type: 2, name: 'rtm', label: 'RTM', privileges: { 1: 'login' }, fields: [str('userId')] },
  3: {
    type: 3, name: 'streaming', label: 'Streaming',
    privileges: { 1: 'publishMixStream', 2: 'publishRawStream' },
    fields: [str('channelName'), str('account')],
  },
  4: { type: 4, name: 'fpa', label: 'FPA', privileges: { 1: 'login' }, fields: [] },
  5: { type: 5, name: 'chat', label: 'Chat', privileges: { 1: 'user', 2: 'app' }, fields: [str('userId')] },
  6: {
    type: 6, name: 'fcdn', label: 'FCDN', privileges: { 1: 'publish', 2: 'play' },
    fields: [str('channelName'), str('account')],
  },
  7: {
    type: 7, name: 'apaas', label: 'APaaS', privileges: { 1: 'roomUser', 2: 'user', 3: 'app' },
    fields: [str('roomUuid'), str('userUuid'), { name: 'role', kind: 'role' }],
  },
  8: {
    type: 8, name: 'rtm2', label: 'RTM2', privileges: { 1: 'login' },
    fields: [str('userId'), { name: 'permissions', kind: 'permissions' }],
  },
  9: { type: 9, name: 'convoai', label: 'ConvoAI', privileges: {}, fields: [] },
  10: { type: 10, name: 'stt', label: 'STT', privileges: {}, fields: [] },
};

/** Named service types. */
export const ServiceType = {
  RTC: 1,
  RTM: 2,
  STREAMING: 3,
  FPA: 4,
  CHAT: 5,
  FCDN: 6,
  APAAS: 7,
  RTM2: 8,
  CONVOAI: 9,
  STT: 10,
} as const;

/** Named privilege ids, per service. */
export const Privileges = {
  RTC: { JOIN_CHANNEL: 1, PUBLISH_AUDIO_STREAM: 2, PUBLISH_VIDEO_STREAM: 3, PUBLISH_DATA_STREAM: 4 },
  RTM: { LOGIN: 1 },
  STREAMING: { PUBLISH_MIX_STREAM: 1, PUBLISH_RAW_STREAM: 2 },
  FPA: { LOGIN: 1 },
  CHAT: { USER: 1, APP: 2 },
  FCDN: { PUBLISH: 1, PLAY: 2 },
  APAAS: { ROOM_USER: 1, USER: 2, APP: 3 },
  RTM2: { LOGIN: 1 },
} as const;

/** The table row for a wire type, or undefined for a type this library does not know. */
export function serviceSpec(type: number): ServiceSpec | undefined {
  return SERVICES[type];
}
