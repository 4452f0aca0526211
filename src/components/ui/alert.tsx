export function Alert({ tone = "danger", children }: { tone?: "danger" | "info"; children: React.ReactNode }) {
  const style = tone === "danger" ? "border-danger/30 bg-danger-soft text-danger" : "border-border bg-canvas text-text";
  return (
    <div role={tone === "danger" ? "alert" : "status"} className={`rounded-card border px-3 py-2 text-sm ${style}`}>
      {children}
    </div>
  );
}
