import type { ByteReader } from '../bytes/reader';
import { TokenError } from '../base/errors';
import type { DecodedPrivilege } from './token-types';

/** A privilege map as read from a token, with the details a person reads. */
export interface PrivilegeMap {
  readonly privileges: Record<number, number>;
  readonly privilegeDetails: DecodedPrivilege[];
}

function detail(id: number, value: number, names: Readonly<Record<number, string>>, base: number): DecodedPrivilege {
  return { id, name: names[id], expiresAt: value === 0 ? null : base + value };
}

/**
 * Reads `u16(count) (u16(id) u32(value))*`, the privilege map of both formats. A value of 0 has
 * no expiry; any other ends at `base + value` (007: `base` is `issueTs`; 006: 0, values are
 * absolute). Strict mode refuses an id listed twice; lenient mode keeps the last value, as the
 * reference's TreeMap does, and reads the count as a Java short.
 */
export function readPrivileges(
  r: ByteReader, lenient: boolean, names: Readonly<Record<number, string>>, base: number, owner: string,
): PrivilegeMap {
  const count = r.count16(lenient, 'privilege count');
  const privileges: Record<number, number> = {};
  let privilegeDetails: DecodedPrivilege[] = [];
  let repeated = false;
  for (let i = 0; i < count; i++) {
    const id = r.u16('privilege id');
    const value = r.u32('privilege expire');
    if (privileges[id] === undefined) {
      privilegeDetails.push(detail(id, value, names, base));
    } else if (lenient) {
      repeated = true;
    } else {
      throw new TokenError('ERR_TOKEN_MALFORMED', `${owner} lists privilege ${id} twice`);
    }
    privileges[id] = value;
  }
  if (repeated) {
    privilegeDetails = Object.keys(privileges).map((key) => detail(Number(key), privileges[Number(key)], names, base));
  }
  return { privileges, privilegeDetails };
}
