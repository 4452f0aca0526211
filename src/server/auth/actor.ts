/** Who did something, as the audit log records it: the signed-in user's id and email. */
export type Actor = { userId: string; email: string };
