// Checked by `npm run typecheck` (tsc -p test/types): every `@ts-expect-error` must be an error.
import {
  RtcRole, RtcTokenBuilder, RtcTokenBuilder2, RtmTokenBuilder, verifyToken, type DecodedService,
} from '../../src/index';

declare const A: string;
declare const C: string;

// agora-token code with only the import changed: the root RtcTokenBuilder is the 006 builder.
// @ts-expect-error 7th argument is agora-token's privilegeExpire, not BuildOptions
RtcTokenBuilder.buildTokenWithUid(A, C, 'room1', 42, 1, 3600, 3600);
// @ts-expect-error agora-token's per-privilege method is not a 006 method
RtcTokenBuilder.buildTokenWithUidAndPrivilege(A, C, 'room1', 42, 3600, 3600, 3600, 3600, 3600);
// @ts-expect-error agora-token's RtmTokenBuilder.buildToken(appId, cert, userId, expire)
RtmTokenBuilder.buildToken(A, C, 'alice', 3600);
// The right builder compiles.
RtcTokenBuilder2.buildTokenWithUid(A, C, 'room1', 42, RtcRole.PUBLISHER, 3600, 3600);

// Service and privilege names are literal unions derived from the service table.
// @ts-expect-error misspelt service
verifyToken(A, C, { service: 'chatt' });
// @ts-expect-error no such privilege
verifyToken(A, C, { service: 'rtc', privilege: 'admin' });
verifyToken(A, C, { service: 'chat', privilege: 'user' });
verifyToken(A, C, { privilege: 'rtmLogin', channelName: 'c', uid: 1 });

// Decoded fields are typed from the table, read without casts.
declare const service: DecodedService;
const channel: string | undefined = service.channelName;
const role: number | undefined = service.role;
// @ts-expect-error role is a number
const wrong: string | undefined = service.role;
void channel; void role; void wrong;
