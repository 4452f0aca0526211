import { FilterBar, FilterField, FilterSelect } from "@/components/ui/filter-bar";
import { inputClass } from "@/components/ui/field";
import type { Translate } from "@/lib/i18n/messages";
import { JOB_HEALTH, JOB_KINDS } from "@/server/jobs/health";

export type JobFilterValues = { q?: string; health?: string; kind?: string; tag?: string; sort: string };

/** The jobs list's search and filters. */
export function JobFilters({ query, tags, t }: { query: JobFilterValues; tags: string[]; t: Translate }) {
  const any = t("jobs.any");
  return (
    <FilterBar applyLabel={t("jobs.apply")}>
      <FilterField label={t("jobs.search")}>
        <input name="q" type="search" defaultValue={query.q} className={inputClass} />
      </FilterField>
      <FilterSelect name="health" label={t("jobs.health")} value={query.health} anyLabel={any} options={JOB_HEALTH.map((health) => ({ value: health, label: t(`health.${health}`) }))} />
      <FilterSelect name="kind" label={t("jobs.kind")} value={query.kind} anyLabel={any} options={JOB_KINDS.map((kind) => ({ value: kind, label: t(`kind.${kind}`) }))} />
      <FilterSelect name="tag" label={t("jobs.tag")} value={query.tag} anyLabel={any} options={tags.map((tag) => ({ value: tag, label: tag }))} />
      <FilterField label={t("jobs.sort")}>
        <select name="sort" defaultValue={query.sort} className={inputClass}>
          <option value="title">{t("jobs.sort.title")}</option>
          <option value="newest">{t("jobs.sort.newest")}</option>
        </select>
      </FilterField>
    </FilterBar>
  );
}
