export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-xl font-semibold tracking-tight">Jobboard</p>
        <div className="rounded-card border border-border bg-surface p-6 shadow-sm">{children}</div>
      </div>
    </main>
  );
}
