import bcrypt from "bcryptjs";

const COST = 10;
// Compared against when the email is unknown, so a missing account takes as long as a wrong password.
const DUMMY_HASH = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.Q3Cz4qvOl/9LXI5Y2ozXDcBvtvbe";

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

/** bcrypt's own compare runs in constant time for a given hash. */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return Boolean(hash) && matches;
}
