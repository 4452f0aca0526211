import Link from "next/link";

/** Under a sign-in page's form: the other way in, for someone on the wrong page. */
export function AuthLink({ prompt, href, label }: { prompt: string; href: string; label: string }) {
  return (
    <p className="mt-4 text-center text-sm text-muted">
      {prompt}{" "}
      <Link className="text-accent underline" href={href}>
        {label}
      </Link>
    </p>
  );
}
