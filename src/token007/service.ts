import { TokenError } from '../base/errors';
import { checkRole16, checkString, checkU16, checkU32, uidToString } from '../args/validate';
import { Rtm2Permissions } from './permissions';
import { serviceSpec, ServiceType, type ServiceFieldValues } from './services';

/**
 * The fields a service may carry, typed from the service table: the subclass of a type sets
 * the ones its table row lists (`ServiceRtc`: `channelName`, `uid`), and the packer reads them
 * by the row's field names.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-unsafe-declaration-merging
export interface Service extends Partial<ServiceFieldValues> {}

/**
 * A service inside an AccessToken2: a type, its privileges (id → expire, seconds from
 * `issueTs`) and, in subclasses, the fields the service table lists for that type.
 * `new Service(type)` is for types whose wire layout is privileges only (FPA, ConvoAI, STT and
 * types this library does not know).
 */
export class Service {
  /** Wire type (u16). */
  readonly type: number;
  /** Privilege id → expire in seconds from `issueTs`; adding an id twice keeps the last value. */
  readonly privileges = new Map<number, number>();

  constructor(type: number) {
    this.type = checkU16(type, 'type');
    const spec = serviceSpec(type);
    if (new.target === Service && spec && spec.fields.length > 0) {
      throw new TokenError(
        'ERR_INVALID_ARGUMENT',
        `type ${type} (${spec.label}) has fields; use its own class (e.g. Service${spec.label.charAt(0)}${spec.label.slice(1).toLowerCase()})`,
      );
    }
  }

  /** Adds or replaces a privilege; returns `this` for chaining. */
  addPrivilege(privilege: number, expire: number): this {
    this.privileges.set(checkU16(privilege, 'privilege'), checkU32(expire, 'expire'));
    return this;
  }
}

/** RTC (type 1): channel name and uid. A numeric uid 0 means `""`. */
export class ServiceRtc extends Service {
  /** The RTC channel name. */
  readonly channelName: string;
  /** The uid as it goes on the wire: `""` for uid 0, else the decimal or the account string. */
  readonly uid: string;
  constructor(channelName: string, uid: string | number) {
    super(ServiceType.RTC);
    this.channelName = checkString(channelName, 'channelName');
    this.uid = uidToString(uid, 'uid');
  }
}

/** RTM (type 2): user id. */
export class ServiceRtm extends Service {
  /** The RTM user id. */
  readonly userId: string;
  constructor(userId: string) {
    super(ServiceType.RTM);
    this.userId = checkString(userId, 'userId');
  }
}

/** Streaming (type 3): channel name and account (a number follows the RTC uid rule). */
export class ServiceStreaming extends Service {
  /** The channel name. */
  readonly channelName: string;
  /** The account as it goes on the wire (a number follows the RTC uid rule). */
  readonly account: string;
  constructor(channelName: string, account: string | number) {
    super(ServiceType.STREAMING);
    this.channelName = checkString(channelName, 'channelName');
    this.account = uidToString(account, 'account');
  }
}

/** FPA (type 4): privileges only. */
export class ServiceFpa extends Service {
  constructor() {
    super(ServiceType.FPA);
  }
}

/** Chat (type 5): user id, `""` for an app token. */
export class ServiceChat extends Service {
  /** The Chat user id; `""` in an app token. */
  readonly userId: string;
  constructor(userId: string = '') {
    super(ServiceType.CHAT);
    this.userId = checkString(userId, 'userId');
  }
}

/** FCDN (type 6): channel name and account. */
export class ServiceFcdn extends Service {
  /** The channel name. */
  readonly channelName: string;
  /** The account as it goes on the wire (a number follows the RTC uid rule). */
  readonly account: string;
  constructor(channelName: string, account: string | number) {
    super(ServiceType.FCDN);
    this.channelName = checkString(channelName, 'channelName');
    this.account = uidToString(account, 'account');
  }
}

/** APaaS / Flexible Classroom (type 7): room, user and a 16-bit role (-1 when not a room token). */
export class ServiceApaas extends Service {
  /** The room UUID; `""` when not a room token. */
  readonly roomUuid: string;
  /** The user UUID; `""` in an app token. */
  readonly userUuid: string;
  /** The 16-bit role; -1 when not a room token. */
  readonly role: number;
  constructor(roomUuid: string = '', userUuid: string = '', role: number = -1) {
    super(ServiceType.APAAS);
    this.roomUuid = checkString(roomUuid, 'roomUuid');
    this.userUuid = checkString(userUuid, 'userUuid');
    this.role = checkRole16(role, 'role');
  }
}

/** RTM2 (type 8): user id and permissions (`null` packs as no permissions). */
export class ServiceRtm2 extends Service {
  /** The RTM user id. */
  readonly userId: string;
  /** The RTM2 permissions (empty when none were given). */
  readonly permissions: Rtm2Permissions;
  constructor(userId: string, permissions: Rtm2Permissions | null = null) {
    super(ServiceType.RTM2);
    this.userId = checkString(userId, 'userId');
    if (permissions !== null && permissions !== undefined && !(permissions instanceof Rtm2Permissions)) {
      throw new TokenError('ERR_INVALID_ARGUMENT', 'permissions must be an Rtm2Permissions or null');
    }
    this.permissions = permissions ?? new Rtm2Permissions();
  }
}

/** ConvoAI (type 9): privileges only. */
export class ServiceConvoAI extends Service {
  constructor() {
    super(ServiceType.CONVOAI);
  }
}

/** STT (type 10): privileges only. */
export class ServiceStt extends Service {
  constructor() {
    super(ServiceType.STT);
  }
}
