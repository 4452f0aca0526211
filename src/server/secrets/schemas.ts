import { z } from "zod";
import { SECRET_NAME } from "./references";

// The settings page's HTTP secret form.
export const httpSecretSchema = z.object({
  name: z
    .string()
    .trim()
    .regex(SECRET_NAME, "Use capitals, digits and _ (starting with a letter), like API_TOKEN"),
  value: z.string().min(1, "Enter the secret's value").max(4096, "Keep the value under 4096 characters"),
  // Where the secret may be sent: host or host:port, comma-separated.
  allowedHosts: z
    .string({ error: "Name the hosts this secret may be sent to" })
    .transform((text) => text.split(",").map((host) => host.trim().toLowerCase()).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/, "Hosts look like api.example.com or api.example.com:8443"))
        .min(1, "Name the hosts this secret may be sent to, like api.example.com")
        .max(20, "At most 20 hosts"),
    ),
});

export const deleteHttpSecretSchema = httpSecretSchema.pick({ name: true });
