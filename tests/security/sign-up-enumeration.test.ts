import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { AuthClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { signUpWithSupabase } from "@/server/auth/supabase-sign-up";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";

// Sign-up must not tell which emails have accounts. Supabase's hosted service cannot run here:
// a stand-in answers its sign-up endpoint as it does with email confirmation on (a taken email
// gets a user with no identities and no mail) or off (a taken email gets 422), and records mail
// asked of its recover endpoint.
const TAKEN = "owner@example.test";

let db: TestDatabase;
let standIn: Server;
let url: string;
let confirmations = true;
const mailed: string[] = [];

function user(email: string, identities: unknown[]) {
  return { id: randomUUID(), aud: "authenticated", role: "authenticated", email, identities, created_at: new Date().toISOString(), app_metadata: {}, user_metadata: {} };
}

beforeAll(async () => {
  db = await createTestDatabase();
  standIn = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    request.on("end", () => {
      const body = JSON.parse(raw || "{}") as { email?: string };
      const reply = (status: number, payload: unknown) =>
        response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
      if (request.url?.startsWith("/auth/v1/recover")) {
        mailed.push(body.email!);
        return reply(200, {});
      }
      if (request.url?.startsWith("/auth/v1/signup")) {
        if (body.email === TAKEN) {
          return confirmations
            ? reply(200, user(body.email, []))
            : reply(422, { code: 422, error_code: "user_already_exists", msg: "User already registered" });
        }
        // A new account: the service writes it to auth.users, in the database Jobboard uses.
        const created = user(body.email!, [{ id: randomUUID(), provider: "email" }]);
        void db.sql`insert into auth.users (id, email) values (${created.id}, ${created.email})`.then(() => reply(200, created));
        return;
      }
      reply(404, {});
    });
  });
  await new Promise<void>((resolve) => standIn.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(standIn.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => standIn?.close(resolve));
  await db?.close();
});

const auth = () =>
  new AuthClient({ url: `${url}/auth/v1`, headers: { apikey: "anon-key-for-the-stand-in-0123456789" }, persistSession: false, autoRefreshToken: false });
const signUp = (email: string) => signUpWithSupabase(db.sql, auth(), { email, password: "a-long-password", workspaceName: "Probe" });
const workspacesOwnedBy = (email: string) =>
  withService(db.sql, async (tx) => (await tx`select 1 from audit_log where action = 'workspace.created' and actor_label = ${email}`).length);

describe("sign-up through Supabase Auth", () => {
  it("answers a taken email exactly as a new one, mails its owner instead, and creates nothing", async () => {
    for (const mode of [true, false]) {
      confirmations = mode;
      mailed.length = 0;
      const fresh = `new-${randomUUID()}@example.test`;
      const answerForNew = await signUp(fresh);
      const answerForTaken = await signUp(TAKEN);
      expect(answerForTaken).toEqual(answerForNew);
      expect(mailed).toEqual([TAKEN]);
      expect(await workspacesOwnedBy(fresh)).toBe(1);
      expect(await workspacesOwnedBy(TAKEN)).toBe(0);
    }
  });
});
