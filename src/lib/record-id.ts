import { notFound } from "next/navigation";
import { z } from "zod";

/** A record page's id from its route: anything but a UUID names no record, so there is nothing to look up. */
export async function recordId(params: Promise<{ id: string }>): Promise<string> {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  return id;
}
