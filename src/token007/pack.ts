import { base64Encode } from '../bytes/base64';
import { ByteWriter } from '../bytes/writer';
import { TokenError } from '../base/errors';
import { zlibDeflateBound, zlibDeflateInto } from '../zlib/deflate';
import type { Rtm2Permissions } from './permissions';
import type { Service } from './service';
import { serviceSpec, type ServiceFieldValues, type ServiceSpec } from './services';
import { signOnce, type TokenSigner } from './signature';

/** The AccessToken2 version prefix. */
export const VERSION_007 = '007';

/** Everything that goes into a 007 token besides its services. */
export interface TokenHeader {
  readonly appId: string;
  /** The certificate, for a one-call build; a maker's packer signs with its own signer instead. */
  readonly appCertificate?: string;
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
  w.count16(byResource.size, 'RTM2 resource types');
  for (const resourceType of [...byResource.keys()].sort(byShort)) {
    const group = byResource.get(resourceType)!;
    w.u16(resourceType).count16(group.size, `RTM2 permission types of resource type ${resourceType}`);
    for (const permissionType of [...group.keys()].sort(byShort)) {
      const resources = group.get(permissionType)!;
      w.u16(permissionType).count16(resources.length, 'RTM2 resources of one grant');
      for (const resource of resources) w.string(resource);
    }
  }
}

/** The fields the table row lists, in wire order, from a Service or the fast path's values. */
function packFields(w: ByteWriter, spec: ServiceSpec, source: Partial<ServiceFieldValues>): void {
  for (const field of spec.fields) {
    switch (field.kind) {
      case 'string':
        w.string(present(source[field.name], spec, field.name));
        break;
      case 'role':
        w.u16(present(source.role, spec, field.name) & 0xffff);
        break;
      case 'permissions':
        packPermissions(w, present(source.permissions, spec, field.name));
        break;
    }
  }
}

function present<T>(value: T | undefined, spec: ServiceSpec, field: string): T {
  if (value === undefined) {
    throw new TokenError('ERR_MISSING_ARGUMENT', `the ${spec.label} service needs its ${field} field (use its own Service class)`);
  }
  return value;
}

/** Privilege ids in wire order, for services of up to ID_SCRATCH_SIZE privileges (all real ones). */
const ID_SCRATCH_SIZE = 16;
/**
 * Scratch (listed in test/module-state.test.ts): the privilege ids of the service being packed.
 * A fresh array and Array.prototype.sort per service were most of what a build allocated
 * (≈ 1 KB for an RTC publisher token). Ids are public; nothing in it outlives a packService.
 */
const idScratch = new Int32Array(ID_SCRATCH_SIZE);

/** The ids of `privileges` in wire order, in idScratch or (for many) a fresh array. */
function sortedPrivilegeIds(privileges: ReadonlyMap<number, number>): Int32Array {
  const ids = privileges.size > ID_SCRATCH_SIZE ? new Int32Array(privileges.size) : idScratch;
  let count = 0;
  for (const id of privileges.keys()) ids[count++] = id;
  if (ids !== idScratch) return ids.sort(byShort);
  // Insertion sort: allocates nothing and is the fastest for the few privileges a service has.
  for (let i = 1; i < count; i++) {
    const id = ids[i];
    let j = i - 1;
    for (; j >= 0 && byShort(ids[j], id) > 0; j--) ids[j + 1] = ids[j];
    ids[j + 1] = id;
  }
  return ids;
}

function packService(w: ByteWriter, service: Service): void {
  w.u16(service.type);
  const privileges = service.privileges;
  const count = privileges.size;
  w.count16(count, `privileges of a service of type ${service.type}`);
  const ids = sortedPrivilegeIds(privileges);
  for (let i = 0; i < count; i++) {
    const id = ids[i];
    w.u16(id).u32(privileges.get(id)!);
  }
  const spec = serviceSpec(service.type);
  if (spec) packFields(w, spec, service);
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

/**
 * Where a token is packed and how it is signed. The one-call builders use ONE_CALL: a scratch
 * writer (public token bytes only) and the certificate in the header, signed by signOnce (which
 * keeps nothing). A TokenMaker brings its own writer, signer and app ID field.
 */
export interface Packer {
  readonly writer: ByteWriter;
  /** Signs with the maker's keys; absent: sign with `header.appCertificate`, keeping nothing. */
  readonly signer?: TokenSigner;
  /** The app ID as it goes on the wire (u16 length + ASCII), precomputed by a maker. */
  readonly appIdField?: Uint8Array;
}

/**
 * Scratch (listed in test/module-state.test.ts): the one-call builders' writer. It holds only
 * the public bytes of the token being built (content, then the compressed token after it);
 * no key material goes through it, and each build starts by resetting it.
 */
const ONE_CALL: Packer = { writer: new ByteWriter(1024) };

/** The one-call packer's writer, for the test that checks it holds no secret after a call. @internal */
export const packScratch: readonly ByteWriter[] = [ONE_CALL.writer];

// The signature is a u16-length-prefixed 32-byte string in front of the signed bytes.
const SIGNATURE_FIELD = 2 + 32;

/** Starts a token: room for the signature, then the signed header, up to the service count. */
function startToken(header: TokenHeader, serviceCount: number, packer: Packer): ByteWriter {
  const w = packer.writer.reset();
  w.u16(32);
  w.u32(0).u32(0).u32(0).u32(0).u32(0).u32(0).u32(0).u32(0); // room for the signature
  if (packer.appIdField) w.raw(packer.appIdField);
  else w.string(header.appId);
  return w.u32(header.issueTs).u32(header.expire).u32(header.salt).count16(serviceCount, 'services of an AccessToken2');
}

/**
 * Signs, compresses and encodes the token in the writer. The compressed bytes go into the same
 * buffer, after the content, and are base64-encoded from there: one buffer, owned by the packer,
 * and no array allocated per token.
 */
function finishToken(header: TokenHeader, w: ByteWriter, packer: Packer): string {
  const length = w.position;
  const buffer = w.room(zlibDeflateBound(length));
  if (packer.signer) {
    packer.signer.sign(header.issueTs, header.salt, buffer, SIGNATURE_FIELD, length, buffer, 2);
  } else if (header.appCertificate !== undefined) {
    signOnce(header.appCertificate, header.issueTs, header.salt, buffer, SIGNATURE_FIELD, length, buffer, 2);
  } else {
    throw new TokenError('ERR_MISSING_ARGUMENT', 'appCertificate is required to sign a token');
  }
  const compressedLength = zlibDeflateInto(buffer, length, buffer, length);
  return base64Encode(buffer, length, length + compressedLength, VERSION_007);
}

/**
 * Packs, signs, compresses and encodes a 007 token. Arguments are already validated; the caller
 * guarantees at least one service.
 */
export function packToken(header: TokenHeader, services: readonly Service[], packer: Packer = ONE_CALL): string {
  const w = startToken(header, services.length, packer);
  for (const service of wireOrder(services)) packService(w, service);
  return finishToken(header, w, packer);
}

/**
 * The same bytes as {@link packToken} for a token of one service whose privileges all expire at
 * `privilegeExpire`, without making a Service: the path of the builders users call most (Chat,
 * RTC). `privilegeIds` are in wire order (ascending, below 0x8000); `values` holds the fields the
 * table row lists, packed in the row's order as for a Service.
 */
export function packSingleService(
  header: TokenHeader, spec: ServiceSpec, privilegeIds: readonly number[], privilegeExpire: number,
  values: Partial<ServiceFieldValues>, packer: Packer = ONE_CALL,
): string {
  const w = startToken(header, 1, packer);
  w.u16(spec.type).u16(privilegeIds.length);
  for (let i = 0; i < privilegeIds.length; i++) w.u16(privilegeIds[i]).u32(privilegeExpire);
  packFields(w, spec, values);
  return finishToken(header, w, packer);
}
