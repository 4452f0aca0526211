import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import type { Translate } from "@/lib/i18n/messages";
import { SettingsTabs } from "./settings-tabs";

export type SettingsFrameProps = { title: string; description: string; current: string; t: Translate };

/**
 * A settings tab: the header and the tabs over its cards, or, for a member who may not change
 * these settings, `refusal` saying so.
 */
export function SettingsFrame({ title, description, current, t, refusal, children }: SettingsFrameProps & { refusal?: string; children?: ReactNode }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <SettingsTabs current={current} t={t} />
      {refusal ? <Alert tone="info">{refusal}</Alert> : <div className="space-y-6">{children}</div>}
    </>
  );
}
