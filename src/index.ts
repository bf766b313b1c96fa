/**
 * agora-access-token2: make, read and verify Agora access tokens — AccessToken2 ("007") for
 * every service and the legacy AccessToken ("006") — byte for byte as Agora's Java reference.
 *
 * @packageDocumentation
 * @module agora-access-token2
 */

export { TokenError, type TokenErrorCode } from './base/errors';
export type { BuildOptions } from './args/options';

// Builders (007)
export { ChatTokenBuilder2 } from './builders/chat';
export { RtcTokenBuilder2, type RtcWithRtmArguments } from './builders/rtc';
export { RtmTokenBuilder2 } from './builders/rtm';
export { FpaTokenBuilder, FPA_TOKEN_EXPIRE } from './builders/fpa';
export { ApaasTokenBuilder, EducationTokenBuilder2, apaasChatUserId, type ApaasBuilder } from './builders/apaas';
export { ConvoAITokenBuilder, SttTokenBuilder, type AgentTokenBuilder } from './builders/convoai';
export { createTokenMaker, type TokenMaker, type AppCredentials } from './builders/token-maker';
export {
  RtcRole, RtcRole006, RtmRole,
  type RtcRoleValue, type RtcRole006Value, type RtmRoleValue,
} from './builders/roles';

// Builders (006)
export { RtcTokenBuilder } from './builders/rtc006';
export { RtmTokenBuilder } from './builders/rtm006';

// AccessToken2, low level
export { AccessToken2 } from './token007/access-token2';
export {
  Service, ServiceRtc, ServiceRtm, ServiceStreaming, ServiceFpa, ServiceChat, ServiceFcdn,
  ServiceApaas, ServiceRtm2, ServiceConvoAI, ServiceStt,
} from './token007/service';
export {
  Rtm2Permissions, RtmResourceType, RtmPermissionType, type Rtm2Permission,
} from './token007/permissions';
export {
  SERVICES, SERVICE_NAMES, SERVICE_TABLE, ServiceType, Privileges,
  type ServiceSpec, type FieldSpec, type FieldKind, type ServiceFieldName, type StringFieldName, type ServiceName,
  type ServiceFieldValues, type DecodedFieldValues, type DecodedFieldsOf, type PrivilegeNameOf, type PrivilegeName007,
  type CamelCase, type ServiceTable, type ServiceTableField, type BuiltFieldKinds, type DecodedFieldKinds,
} from './token007/services';
export { Privileges006, PRIVILEGE_NAMES_006, type PrivilegeName006 } from './token006/access-token';

// Reading tokens (007 and 006)
export { decodeToken } from './read/decode';
export { verifyToken } from './read/verify';
export { createTokenVerifier, type TokenVerifier, type VerifierCredentials } from './read/verifier';
export {
  DEFAULT_MAX_TOKEN_LENGTH, DEFAULT_MAX_PAYLOAD_BYTES,
  type DecodeOptions, type VerifyOptions, type DecodedToken, type DecodedToken007, type DecodedToken006,
  type DecodedService, type DecodedPrivilege,
} from './read/token-types';
