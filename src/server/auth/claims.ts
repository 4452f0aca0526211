import type { Claims } from "../db/transactions";

export type SessionUser = {
  id: string;
  email: string;
  /** Built-in sessions: the account's session version when it was issued (absent = 0). */
  sessionVersion?: number;
};

/** The claims Supabase would issue for this user; built-in auth issues the same shape. */
export function claimsForUser(user: SessionUser): Claims {
  return { sub: user.id, email: user.email, role: "authenticated", aud: "authenticated" };
}
