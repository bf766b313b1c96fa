import { checkString, checkU16 } from '../args/validate';
import { TokenError } from '../base/errors';

/** RTM2 resource types. */
export const RtmResourceType = {
  MESSAGE_CHANNEL: 0,
  STREAM_CHANNEL: 1,
  GROUP_CHANNEL: 2,
  SERVER_GROUP: 3,
  USER: 4,
} as const;

/** RTM2 permission types. */
export const RtmPermissionType = {
  READ: 0,
  WRITE: 1,
} as const;

/** One RTM2 grant: a permission on a list of resources of one type. */
export interface Rtm2Permission {
  /** A {@link RtmResourceType} value. */
  readonly resourceType: number;
  /** A {@link RtmPermissionType} value. */
  readonly permissionType: number;
  /** Resource names (channels, groups or users), in the order given. */
  readonly resources: readonly string[];
}

/**
 * RTM2 permissions for `RtmTokenBuilder2.buildTokenWithPermissions` and `ServiceRtm2`.
 * A later `add` of the same (resourceType, permissionType) pair replaces the earlier list,
 * as in the reference.
 *
 * @example
 * ```ts
 * const permissions = new Rtm2Permissions()
 *   .add(RtmResourceType.MESSAGE_CHANNEL, RtmPermissionType.WRITE, ['lobby', 'room_*'])
 *   .add(RtmResourceType.USER, RtmPermissionType.READ, ['*']);
 * ```
 */
export class Rtm2Permissions {
  private readonly grants = new Map<number, Rtm2Permission>();

  /** Grants `permissionType` on `resources` of `resourceType`; returns `this` for chaining. */
  add(resourceType: number, permissionType: number, resources: readonly string[]): this {
    checkU16(resourceType, 'resourceType');
    checkU16(permissionType, 'permissionType');
    if (!Array.isArray(resources)) {
      throw new TokenError('ERR_INVALID_ARGUMENT', 'resources must be an array of strings');
    }
    if (resources.length > 0xffff) {
      throw new TokenError('ERR_INVALID_ARGUMENT', `resources must hold at most 65535 entries, got ${resources.length}`);
    }
    resources.forEach((resource, i) => checkString(resource, `resources[${i}]`));
    this.grants.set(resourceType * 0x10000 + permissionType, { resourceType, permissionType, resources: [...resources] });
    return this;
  }

  /** The grants, in the order they were first added. */
  list(): Rtm2Permission[] {
    return [...this.grants.values()];
  }

  /** True when no grant was added. */
  get isEmpty(): boolean {
    return this.grants.size === 0;
  }
}
