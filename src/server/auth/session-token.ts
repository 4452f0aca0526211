import { SignJWT, jwtVerify } from "jose";
import type { SessionUser } from "./claims";

export const SESSION_COOKIE = "jb_session";
export const SESSION_TTL_SECONDS = 60 * 60 * 24 * 14;
const ISSUER = "jobboard";
const AUDIENCE = "authenticated";

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** A signed (HS256) session token for built-in auth. */
export async function createSessionToken(user: SessionUser, secret: string, now = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({
    email: user.email,
    role: "authenticated",
    ...(user.sessionVersion ? { sv: user.sessionVersion } : {}),
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + SESSION_TTL_SECONDS)
    .sign(key(secret));
}

/** The user a session token names, or null when it is forged, expired or malformed. */
export async function verifySessionToken(token: string, secret: string, now = new Date()): Promise<SessionUser | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: now,
    });
    if (typeof payload.sub !== "string" || typeof payload.email !== "string") return null;
    if (payload.sv !== undefined && !(Number.isInteger(payload.sv) && (payload.sv as number) > 0)) return null;
    return {
      id: payload.sub,
      email: payload.email,
      ...(typeof payload.sv === "number" ? { sessionVersion: payload.sv } : {}),
    };
  } catch {
    return null;
  }
}
