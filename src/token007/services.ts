/**
 * The AccessToken2 services as data: per service, its wire type, its privileges and the fields
 * that follow the privileges on the wire, in wire order. This table is the only description of
 * the 007 service layouts: packing (both paths), decoding, the decoded types, the `Service`
 * classes' field types, `ServiceType`, `Privileges` and the names `verifyToken` takes are all
 * derived from it. A new service is one row.
 */

import type { Rtm2Permission, Rtm2Permissions } from './permissions';

/** How a field is packed: `string` is u16 length + UTF-8, `role` a 16-bit integer, `permissions` the RTM2 map. */
export type FieldKind = 'string' | 'role' | 'permissions';

/**
 * The table, keyed by service name. Privileges are `NAME: id`; their camelCase spelling
 * (`JOIN_CHANNEL` → `'joinChannel'`) is the name decoded tokens and `verifyToken` use.
 */
const TABLE = {
  rtc: {
    type: 1, label: 'RTC',
    privileges: { JOIN_CHANNEL: 1, PUBLISH_AUDIO_STREAM: 2, PUBLISH_VIDEO_STREAM: 3, PUBLISH_DATA_STREAM: 4 },
    fields: [{ name: 'channelName', kind: 'string' }, { name: 'uid', kind: 'string' }],
  },
  rtm: { type: 2, label: 'RTM', privileges: { LOGIN: 1 }, fields: [{ name: 'userId', kind: 'string' }] },
  streaming: {
    type: 3, label: 'Streaming', privileges: { PUBLISH_MIX_STREAM: 1, PUBLISH_RAW_STREAM: 2 },
    fields: [{ name: 'channelName', kind: 'string' }, { name: 'account', kind: 'string' }],
  },
  fpa: { type: 4, label: 'FPA', privileges: { LOGIN: 1 }, fields: [] },
  chat: { type: 5, label: 'Chat', privileges: { USER: 1, APP: 2 }, fields: [{ name: 'userId', kind: 'string' }] },
  fcdn: {
    type: 6, label: 'FCDN', privileges: { PUBLISH: 1, PLAY: 2 },
    fields: [{ name: 'channelName', kind: 'string' }, { name: 'account', kind: 'string' }],
  },
  apaas: {
    type: 7, label: 'APaaS', privileges: { ROOM_USER: 1, USER: 2, APP: 3 },
    fields: [{ name: 'roomUuid', kind: 'string' }, { name: 'userUuid', kind: 'string' }, { name: 'role', kind: 'role' }],
  },
  rtm2: {
    type: 8, label: 'RTM2', privileges: { LOGIN: 1 },
    fields: [{ name: 'userId', kind: 'string' }, { name: 'permissions', kind: 'permissions' }],
  },
  convoai: { type: 9, label: 'ConvoAI', privileges: {}, fields: [] },
  stt: { type: 10, label: 'STT', privileges: {}, fields: [] },
} as const;

/** Freezes the table's rows, privilege lists and field lists: it is shared, read-only data. */
function freezeRows<T extends object>(table: T): T {
  for (const row of Object.values(table) as object[]) {
    for (const part of Object.values(row)) {
      if (Array.isArray(part)) part.forEach((field) => Object.freeze(field));
      if (typeof part === 'object' && part !== null) Object.freeze(part);
    }
    Object.freeze(row);
  }
  return Object.freeze(table);
}

/**
 * The service table itself, read-only (frozen): per service name, its wire type, label,
 * privileges (`NAME: id`) and fields in wire order. {@link SERVICES} is the same by wire type.
 */
export const SERVICE_TABLE = freezeRows(TABLE);

/** The type of the service table: every row with its literal types (what the other types derive from). */
export type ServiceTable = typeof SERVICE_TABLE;
/** A service's table name: `'rtc'`, `'chat'` … */
export type ServiceName = keyof ServiceTable;
/** Any field of any row, with its literal name and kind. */
export type ServiceTableField = ServiceTable[ServiceName]['fields'][number];

/** `JOIN_CHANNEL` → `joinChannel`: how privilege names are spelt, from their constants. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Lowercase<Head>}${Capitalize<CamelCase<Tail>>}`
  : Lowercase<S>;

/** The name of a service field, as the golden vectors and decoded tokens spell it. */
export type ServiceFieldName = ServiceTableField['name'];
/** The fields packed as strings. */
export type StringFieldName = Extract<ServiceTableField, { kind: 'string' }>['name'];

/** What a field of each kind holds when a token is built (`Service` classes). */
export interface BuiltFieldKinds {
  string: string;
  role: number;
  permissions: Rtm2Permissions;
}
/** What a field of each kind holds in a decoded token. */
export interface DecodedFieldKinds {
  string: string;
  role: number;
  permissions: readonly Rtm2Permission[];
}

/** Every field a service may carry, by name, with its build-side type. */
export type ServiceFieldValues = { readonly [F in ServiceTableField as F['name']]: BuiltFieldKinds[F['kind']] };
/** Every field a decoded service may carry, by name. */
export type DecodedFieldValues = { readonly [F in ServiceTableField as F['name']]: DecodedFieldKinds[F['kind']] };
/** The fields of one service, decoded, e.g. `{ channelName: string; uid: string }` for `'rtc'`. */
export type DecodedFieldsOf<N extends ServiceName> = {
  readonly [F in ServiceTable[N]['fields'][number] as F['name']]: DecodedFieldKinds[F['kind']];
};

/** A privilege name of one service (`'joinChannel'` for `'rtc'`). */
export type PrivilegeNameOf<N extends ServiceName> = CamelCase<keyof ServiceTable[N]['privileges'] & string>;
/** Every 007 privilege name. */
export type PrivilegeName007 = { [N in ServiceName]: PrivilegeNameOf<N> }[ServiceName];

/** One field of a service's wire layout. */
export type FieldSpec =
  | { readonly name: StringFieldName; readonly kind: 'string' }
  | { readonly name: 'role'; readonly kind: 'role' }
  | { readonly name: 'permissions'; readonly kind: 'permissions' };

/** One row of the service table, as code reads it. */
export interface ServiceSpec {
  /** Wire type (u16). */
  readonly type: number;
  /** Short machine name, e.g. `chat`. */
  readonly name: ServiceName;
  /** Human name, e.g. `Chat`. */
  readonly label: string;
  /** Privilege id → name (camelCase). */
  readonly privileges: Readonly<Record<number, string>>;
  /** Fields after the privilege map, in wire order. */
  readonly fields: readonly FieldSpec[];
}

/** `JOIN_CHANNEL` → `joinChannel`, the runtime twin of {@link CamelCase}. */
function camelCase(name: string): string {
  // split, not a regular expression: this runs at load, and a process's first regular
  // expression costs the engine's compile (docs/design.md, "Load time").
  const [head, ...words] = name.toLowerCase().split('_');
  return head + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

/** Id → camelCase name of a `NAME: id` privilege list (007 rows and the 006 list). */
export function privilegeNames(privileges: Readonly<Record<string, number>>): Readonly<Record<number, string>> {
  const names: Record<number, string> = {};
  for (const [name, id] of Object.entries(privileges)) names[id] = camelCase(name);
  return Object.freeze(names);
}

const NAMES = Object.keys(TABLE) as ServiceName[];

/** Every service type this library can pack and read, keyed by wire type. */
export const SERVICES: Readonly<Record<number, ServiceSpec>> = Object.freeze(Object.fromEntries(NAMES.map((name) => {
  const row: ServiceTable[ServiceName] = TABLE[name];
  const spec: ServiceSpec = { type: row.type, name, label: row.label, privileges: privilegeNames(row.privileges), fields: row.fields };
  return [row.type, Object.freeze(spec)];
})));

/** Named service types: `ServiceType.RTC` is 1 … */
export const ServiceType = Object.freeze(Object.fromEntries(NAMES.map((name) => [name.toUpperCase(), TABLE[name].type]))) as {
  readonly [N in ServiceName as Uppercase<N>]: ServiceTable[N]['type'];
};

/** Named privilege ids, per service: `Privileges.RTC.JOIN_CHANNEL` is 1 … */
export const Privileges = Object.freeze(Object.fromEntries(NAMES.map((name) => [name.toUpperCase(), TABLE[name].privileges]))) as {
  readonly [N in ServiceName as Uppercase<N>]: ServiceTable[N]['privileges'];
};

/** The table row for a wire type, or undefined for a type this library does not know. */
export function serviceSpec(type: number): ServiceSpec | undefined {
  return SERVICES[type];
}

/** The table row for a service name, or undefined. */
export function serviceSpecByName(name: string): ServiceSpec | undefined {
  return Object.prototype.hasOwnProperty.call(TABLE, name) ? SERVICES[TABLE[name as ServiceName].type] : undefined;
}

/** Every service name, in wire-type order. */
export const SERVICE_NAMES: readonly ServiceName[] = Object.freeze([...NAMES]);
