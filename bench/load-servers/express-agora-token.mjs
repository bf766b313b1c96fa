// What users write today: Express 5 + agora-token, the community route building an RTC token.
import express from 'express';
import agoraToken from 'agora-token';

const { RtcTokenBuilder, RtcRole } = agoraToken;
const appId = process.env.AGORA_APP_ID;
const appCertificate = process.env.AGORA_APP_CERTIFICATE;
const app = express();
app.get('/rtc/:channel/:role/:tokenType/:uid', (req, res) => {
  const role = req.params.role === 'publisher' ? RtcRole.PUBLISHER : RtcRole.SUBSCRIBER;
  const expire = 3600;
  const rtcToken = RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, req.params.channel, Number(req.params.uid), role, expire, expire);
  res.set('cache-control', 'no-store');
  res.json({ rtcToken, expire, expiresAt: Math.floor(Date.now() / 1000) + expire });
});
const server = app.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
