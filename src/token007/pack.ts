import { base64Encode } from '../bytes/base64';
import { ByteWriter } from '../bytes/writer';
import { zlibDeflate } from '../zlib/deflate';
import { Rtm2Permissions } from './permissions';
import { Service } from './service';
import { serviceSpec, type FieldSpec } from './services';
import { signingKey } from './signature';

/** The AccessToken2 version prefix. */
export const VERSION_007 = '007';

/** Everything that goes into a 007 token besides its services. */
export interface TokenHeader {
  readonly appId: string;
  readonly appCertificate: string;
  readonly issueTs: number;
  readonly expire: number;
  readonly salt: number;
}

// The reference keeps privileges and permission groups in Java TreeMaps keyed by `short`, so
// ids ≥ 0x8000 sort as negative numbers, before the small ones.
const asShort = (n: number): number => (n << 16) >> 16;
const byShort = (a: number, b: number): number => asShort(a) - asShort(b);

function packPermissions(w: ByteWriter, permissions: Rtm2Permissions): void {
  const byResource = new Map<number, Map<number, readonly string[]>>();
  for (const grant of permissions.list()) {
    let group = byResource.get(grant.resourceType);
    if (!group) byResource.set(grant.resourceType, (group = new Map()));
    group.set(grant.permissionType, grant.resources);
  }
  w.u16(byResource.size);
  for (const resourceType of [...byResource.keys()].sort(byShort)) {
    const group = byResource.get(resourceType)!;
    w.u16(resourceType).u16(group.size);
    for (const permissionType of [...group.keys()].sort(byShort)) {
      const resources = group.get(permissionType)!;
      w.u16(permissionType).u16(resources.length);
      for (const resource of resources) w.string(resource);
    }
  }
}

function packField(w: ByteWriter, field: FieldSpec, service: Service): void {
  const value = (service as unknown as Record<string, unknown>)[field.name];
  switch (field.kind) {
    case 'string':
      w.string(value as string);
      break;
    case 'role':
      w.u16((value as number) & 0xffff);
      break;
    case 'permissions':
      packPermissions(w, value as Rtm2Permissions);
      break;
  }
}

// The privilege ids of the service being packed, in a reused array: a fresh array and
// Array.prototype.sort per service were most of what a build allocated (≈ 1 KB for an RTC
// publisher token).
let idScratch = new Int32Array(16);
const INSERTION_SORT_MAX = 16;

/** Puts the ids of `privileges` in idScratch in wire order; returns how many there are. */
function sortPrivilegeIds(privileges: ReadonlyMap<number, number>): number {
  if (privileges.size > idScratch.length) idScratch = new Int32Array(Math.max(privileges.size, idScratch.length * 2));
  const ids = idScratch;
  let count = 0;
  for (const id of privileges.keys()) ids[count++] = id;
  if (count > INSERTION_SORT_MAX) {
    ids.subarray(0, count).sort(byShort);
  } else {
    // Insertion sort: allocates nothing and is the fastest for the few privileges a service has.
    for (let i = 1; i < count; i++) {
      const id = ids[i];
      let j = i - 1;
      for (; j >= 0 && byShort(ids[j], id) > 0; j--) ids[j + 1] = ids[j];
      ids[j + 1] = id;
    }
  }
  return count;
}

function packService(w: ByteWriter, service: Service): void {
  w.u16(service.type);
  const privileges = service.privileges;
  w.u16(privileges.size);
  const count = sortPrivilegeIds(privileges);
  for (let i = 0; i < count; i++) {
    const id = idScratch[i];
    w.u16(id).u32(privileges.get(id)!);
  }
  const spec = serviceSpec(service.type);
  if (spec) for (const field of spec.fields) packField(w, field, service);
}

/**
 * Services in wire order: by type ascending, stable for equal types. Unlike privilege ids, the
 * reference orders service types as unsigned numbers (the golden vectors put 0x8000 last).
 */
function wireOrder(services: readonly Service[]): readonly Service[] {
  let sorted = true;
  for (let i = 1; i < services.length && sorted; i++) sorted = services[i - 1].type <= services[i].type;
  if (sorted) return services; // the usual case: nothing to reorder, nothing to allocate
  return services
    .map((service, index) => ({ service, index }))
    .sort((a, b) => a.service.type - b.service.type || a.index - b.index)
    .map((entry) => entry.service);
}

const writer = new ByteWriter(1024);
// The signature is a u16-length-prefixed 32-byte string in front of the signed bytes.
const SIGNATURE_FIELD = 2 + 32;

/** Starts a token: room for the signature, then the signed header, up to the service count. */
function startToken(header: TokenHeader, serviceCount: number): ByteWriter {
  const w = writer.reset();
  w.u16(32);
  w.u32(0).u32(0).u32(0).u32(0).u32(0).u32(0).u32(0).u32(0); // room for the signature
  return w.string(header.appId).u32(header.issueTs).u32(header.expire).u32(header.salt).u16(serviceCount);
}

/** Signs, compresses and encodes the token in the writer. */
function finishToken(header: TokenHeader, w: ByteWriter): string {
  // The signed bytes and the whole content, as ranges of the writer's buffer (no views).
  const content = w.backing;
  const length = w.position;
  signingKey(header.appCertificate, header.issueTs, header.salt).sign(content, SIGNATURE_FIELD, length, content, 2);
  return VERSION_007 + base64Encode(zlibDeflate(content, length));
}

/**
 * Packs, signs, compresses and encodes a 007 token. Arguments are already validated; the caller
 * guarantees at least one service.
 */
export function packToken(header: TokenHeader, services: readonly Service[]): string {
  const w = startToken(header, services.length);
  for (const service of wireOrder(services)) packService(w, service);
  return finishToken(header, w);
}

/**
 * The same bytes as {@link packToken} for a token of one service whose privileges all expire at
 * `privilegeExpire`, without making a Service: the path of the builders users call most (Chat,
 * RTC). `privilegeIds` are in wire order (ascending, below 0x8000) and `fields` are the
 * service's string fields in table order; the golden vectors check both against the table.
 */
export function packSingleService(
  header: TokenHeader, type: number, privilegeIds: readonly number[], privilegeExpire: number, fields: readonly string[],
): string {
  const w = startToken(header, 1);
  w.u16(type).u16(privilegeIds.length);
  for (let i = 0; i < privilegeIds.length; i++) w.u16(privilegeIds[i]).u32(privilegeExpire);
  for (let i = 0; i < fields.length; i++) w.string(fields[i]);
  return finishToken(header, w);
}
