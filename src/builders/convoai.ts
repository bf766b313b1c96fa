import { Service } from '../token007/service';
import { ServiceType } from '../token007/services';
import { rtm2Token, type RtcWithRtmArguments } from './rtc';

/** The builder shape of ConvoAI and STT: `buildTokenWithRtm2`'s twelve arguments. */
export interface AgentTokenBuilder {
  /**
   * The `RtcTokenBuilder2.buildTokenWithRtm2` services plus an empty service of this builder's
   * type (9 ConvoAI, 10 STT).
   */
  buildToken(...args: RtcWithRtmArguments): string;
}

function agentBuilder(serviceType: number): AgentTokenBuilder {
  return {
    buildToken(...args) {
      return rtm2Token(...args).addService(new Service(serviceType)).build();
    },
  };
}

/**
 * Tokens for Agora's Conversational AI agent (service 9), as `agora-token` 2.0.6's
 * `ConvoAITokenBuilder`.
 *
 * @example
 * ```ts
 * ConvoAITokenBuilder.buildToken(appId, appCertificate, 'room1', 'agent', RtcRole.PUBLISHER,
 *   3600, 3600, 3600, 3600, 3600, 'agent', 3600);
 * ```
 */
export const ConvoAITokenBuilder: AgentTokenBuilder = agentBuilder(ServiceType.CONVOAI);

/**
 * Tokens for Agora's speech-to-text service (service 10), as `agora-token` 2.0.6's
 * `SttTokenBuilder`.
 *
 * @example
 * ```ts
 * SttTokenBuilder.buildToken(appId, appCertificate, 'room1', 'stt-bot', RtcRole.PUBLISHER,
 *   3600, 3600, 3600, 3600, 3600, 'stt-bot', 3600);
 * ```
 */
export const SttTokenBuilder: AgentTokenBuilder = agentBuilder(ServiceType.STT);
