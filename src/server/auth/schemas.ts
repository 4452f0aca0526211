import { z } from "zod";

const email = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address."));

export const signInSchema = z.object({
  email,
  password: z.string().min(1, "Enter your password.").max(200, "Password is too long."),
});
export type SignIn = z.infer<typeof signInSchema>;

export const signUpSchema = z.object({
  email,
  // bcrypt reads only the first 72 bytes, so longer passwords would be silently cut.
  password: z
    .string()
    .min(8, "Use at least 8 characters.")
    .refine((value) => new TextEncoder().encode(value).length <= 72, "Use at most 72 bytes."),
  workspaceName: z.string().trim().min(1, "Name your workspace.").max(100, "Use at most 100 characters."),
});
export type SignUp = z.infer<typeof signUpSchema>;

export const workspaceNameSchema = signUpSchema.pick({ workspaceName: true });

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(200, "Password is too long."),
    newPassword: signUpSchema.shape.password,
  })
  .refine((value) => value.currentPassword !== value.newPassword, { path: ["newPassword"], message: "Choose a password different from the current one." });

/** An invitation link's token: 32 random bytes, base64url. */
export const invitationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is not valid.");

export const acceptInvitationSchema = z.object({ token: invitationTokenSchema });

export const joinWithPasswordSchema = z.object({ token: invitationTokenSchema, password: signUpSchema.shape.password });
