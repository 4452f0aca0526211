import type { Metadata } from "next";
import { CreateWorkspaceForm } from "@/components/auth/create-workspace-form";
import { requireSessionUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "Create a workspace" };

export default async function WelcomePage() {
  const user = await requireSessionUser();
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Welcome, {user.email}</h1>
      <p className="mb-4 text-sm text-muted">You are not in any workspace yet. Create one to start monitoring jobs.</p>
      <CreateWorkspaceForm />
    </>
  );
}
