import type { Locale } from "./messages";

// What the server's validation and refusals say, in Japanese. The server writes English; a form
// shows its answer in the reader's language through localizeServerText. Text not listed here
// (a job's own output, a message not yet translated) is shown as it came. This module ships to
// the browser: no message naming a server variable belongs here.

const EXACT: Record<string, string> = {
  "Please correct the highlighted fields.": "入力内容を確認してください。",
  "Something went wrong on our side. Please try again.": "サーバー側で問題が起きました。もう一度お試しください。",
  "Email or password is incorrect.": "メールアドレスまたはパスワードが正しくありません。",
  "The sign-in service cannot be reached right now. Please try again in a moment.": "サインインサービスに接続できません。しばらくしてからもう一度お試しください。",
  "Enter a valid email address.": "有効なメールアドレスを入力してください。",
  "Enter an email address": "メールアドレスを入力してください",
  "Enter your password.": "パスワードを入力してください。",
  "Enter your current password.": "現在のパスワードを入力してください。",
  "Use at least 8 characters.": "8 文字以上にしてください。",
  "Choose a password different from the current one.": "現在と異なるパスワードを選んでください。",
  "Name your workspace.": "ワークスペースの名前を入力してください。",
  "Give the job a key": "ジョブのキーを入力してください",
  "Use letters, digits and . _ : - only": "英数字と . _ : - だけを使ってください",
  "Give the job a title": "ジョブのタイトルを入力してください",
  "Choose how the job runs": "ジョブの実行方法を選んでください",
  "Labels are at most 50 characters": "ラベルは 50 文字までです",
  "Enter an http:// or https:// URL": "http:// か https:// で始まる URL を入力してください",
  "Unknown timezone (use an IANA name like Asia/Tokyo)": "不明なタイムゾーンです (Asia/Tokyo のような IANA 名を使ってください)",
  "Retries must be 0 to 20": "リトライは 0〜20 回です",
  "An HTTP job needs a URL to call": "HTTP ジョブには呼び出す URL が必要です",
  "Choose one of the registered tasks": "登録済みのタスクから選んでください",
  "Enter a cron expression": "cron 式を入力してください",
  "The maximum duration must be longer than the minimum": "最大時間は最小時間より長くしてください",
  "Enter how many seconds apart runs are": "実行間隔を秒で入力してください",
  'Headers are a JSON object of strings, like {"Authorization": "Bearer …"}': 'ヘッダーは {"Authorization": "Bearer …"} のような文字列の JSON オブジェクトです',
  "The parameter schema must be a JSON object (JSON Schema)": "パラメータのスキーマは JSON オブジェクト (JSON Schema) にしてください",
  "Another job in this workspace already has this key.": "このワークスペースには同じキーのジョブがすでにあります。",
  "Use five fields: minute hour day-of-month month day-of-week (for example 30 3 * * *)": "分 時 日 月 曜日 の 5 つのフィールドで書いてください (例: 30 3 * * *)",
  "This cron expression cannot be read: use five fields like 30 3 * * 1-5": "この cron 式は読めません。30 3 * * 1-5 のように 5 つのフィールドで書いてください",
  "Parameters are not valid JSON.": "パラメータが正しい JSON ではありません。",
  "Parameters must be a JSON object.": "パラメータは JSON オブジェクトにしてください。",
  "Parameters do not match this job's schema.": "パラメータがこのジョブのスキーマに合いません。",
  "Parameters are too long (100 KB at most).": "パラメータが長すぎます (100 KB まで)。",
  'Expected an object like {"key": 1}': '{"key": 1} のようなオブジェクトにしてください',
  "Only operators and admins can run jobs.": "ジョブを実行できるのはオペレーターと管理者だけです。",
  "Only operators and admins can cancel runs.": "実行を取り消せるのはオペレーターと管理者だけです。",
  "Only operators and admins can pause or resume jobs.": "ジョブを一時停止・再開できるのはオペレーターと管理者だけです。",
  "Only admins can create and edit jobs.": "ジョブを作成・編集できるのは管理者だけです。",
  "Only admins can delete jobs.": "ジョブを削除できるのは管理者だけです。",
  "Only admins can change roles.": "ロールを変更できるのは管理者だけです。",
  "That job does not exist in this workspace.": "このワークスペースにそのジョブはありません。",
  "That job (or the run to rerun) does not exist in this workspace.": "このワークスペースにそのジョブ (または再実行する実行) はありません。",
  "That run does not exist in this workspace.": "このワークスペースにその実行はありません。",
  "This job reports from outside Jobboard, which cannot start it: run it where it runs.": "このジョブは Jobboard の外から報告するため、Jobboard からは起動できません。実行している場所で実行してください。",
  "Name the key (where it is used)": "キーの名前 (使う場所) を入力してください",
  "Give the window a title": "メンテナンス枠のタイトルを入力してください",
  "The window must end after it starts": "終了は開始より後にしてください",
  "At most 20 hosts": "ホストは 20 個までです",
  "Choose a job, or the whole workspace": "ジョブか、ワークスペース全体を選んでください",
  "Choose a key": "キーを選んでください",
  "Choose a member": "メンバーを選んでください",
  "Choose a role": "ロールを選んでください",
  "Choose an invitation": "招待を選んでください",
  "Choose once or recurring": "1 回だけか繰り返しかを選んでください",
  "Choose report or read": "報告用か読み取り用かを選んでください",
  "Enter a cron expression for when the window starts": "枠が始まる時刻を cron 式で入力してください",
  "Enter how many minutes the window lasts": "枠の長さを分で入力してください",
  "Enter the secret's value": "シークレットの値を入力してください",
  "Enter when the window ends": "枠の終了日時を入力してください",
  "Enter when the window starts": "枠の開始日時を入力してください",
  "Give the workspace a name": "ワークスペースの名前を入力してください",
  "Hosts look like api.example.com or api.example.com:8443": "ホストは api.example.com や api.example.com:8443 のように書きます",
  "Job key is too long.": "ジョブのキーが長すぎます。",
  "Keep the name under 100 characters": "名前は 100 文字未満にしてください",
  "Keep the value under 4096 characters": "値は 4096 文字未満にしてください",
  "Name the hosts this secret may be sent to": "このシークレットを送ってよいホストを指定してください",
  "Name the hosts this secret may be sent to, like api.example.com": "このシークレットを送ってよいホストを api.example.com のように指定してください",
  "Password is too long.": "パスワードが長すぎます。",
  "Run history must be at least as long as log retention (logs go with their runs)": "実行履歴の保持期間はログの保持期間以上にしてください (ログは実行とともに消えます)",
  "Slack webhook URLs start with https://": "Slack の Webhook URL は https:// で始まります",
  "That end is not a real date and time": "その終了日時は存在しません",
  "That start is not a real date and time": "その開始日時は存在しません",
  "The cron expression is at most 120 characters": "cron 式は 120 文字までです",
  "The length must be a number of minutes": "長さは分の数値にしてください",
  "The length must be a whole number of minutes": "長さは整数の分にしてください",
  "The length must be at least 1 minute": "長さは 1 分以上にしてください",
  "The title is at most 200 characters": "タイトルは 200 文字までです",
  "This invitation link is not valid.": "この招待リンクは無効です。",
  "Type the workspace's slug to confirm": "確認のためワークスペースのスラッグを入力してください",
  "Unknown job.": "不明なジョブです。",
  "Unknown maintenance window.": "不明なメンテナンス枠です。",
  "Unknown run.": "不明な実行です。",
  "Unknown status.": "不明なステータスです。",
  "Unknown trigger.": "不明なトリガーです。",
  "Use at most 100 characters.": "100 文字以内にしてください。",
  "Use at most 72 bytes.": "72 バイト以内にしてください。",
  "Use capitals, digits and _ (starting with a letter), like API_TOKEN": "API_TOKEN のように、英大文字・数字・_ で (英字から) 書いてください",
  "A workspace needs an owner: make someone else owner first.": "ワークスペースにはオーナーが必要です。先に別の人をオーナーにしてください。",
  "An account with this email already exists.": "このメールアドレスのアカウントはすでにあります。",
  "An account with this email already exists: sign in to accept the invitation.": "このメールアドレスのアカウントはすでにあります。サインインして招待を承諾してください。",
  "An agent job needs an agent label, unless an agent announced it (it then runs there).": "エージェントのジョブにはエージェントのラベルが必要です (エージェントが告知したジョブはそこで実行されます)。",
  "An agent of that name already exists in this workspace.": "この名前のエージェントはこのワークスペースにすでにあります。",
  "No failed runs of Jobboard-run jobs match these filters.": "この条件に合う、Jobboard が実行するジョブの失敗した実行はありません。",
  "No job has that key in this workspace.": "このワークスペースにそのキーのジョブはありません。",
  "No queued or running runs match these filters (or you may not cancel them).": "この条件に合う待機中・実行中の実行はありません (または取り消す権限がありません)。",
  "No such active key in this workspace.": "このワークスペースにその有効なキーはありません。",
  "No such pending invitation in this workspace.": "このワークスペースにその保留中の招待はありません。",
  "No such secret in this workspace.": "このワークスペースにそのシークレットはありません。",
  "Only admins can delete secrets.": "シークレットを削除できるのは管理者だけです。",
  "None of these incidents is open and unacknowledged (or you may not acknowledge them).": "未解決かつ未確認の障害はありません (または確認する権限がありません)。",
  "Only a lost run can be reassigned; rerun it instead.": "割り当て直せるのは消失した実行だけです。代わりに再実行してください。",
  "Only admins can change the Slack webhook.": "Slack の Webhook を変更できるのは管理者だけです。",
  "Only admins can change workspace settings.": "ワークスペースの設定を変更できるのは管理者だけです。",
  "Only admins can create agent tokens.": "エージェントのトークンを作れるのは管理者だけです。",
  "Only admins can create keys.": "キーを作れるのは管理者だけです。",
  "Only admins can invite members.": "メンバーを招待できるのは管理者だけです。",
  "Only admins can manage HTTP secrets.": "HTTP シークレットを管理できるのは管理者だけです。",
  "Only admins can remove members, and only an owner can remove an owner.": "メンバーを外せるのは管理者だけで、オーナーを外せるのはオーナーだけです。",
  "Only admins can revoke invitations.": "招待を取り消せるのは管理者だけです。",
  "Only admins can revoke keys.": "キーを無効にできるのは管理者だけです。",
  "Only admins can turn a job's status badge on or off.": "ジョブのステータスバッジを切り替えられるのは管理者だけです。",
  "Only an owner can delete the workspace.": "ワークスペースを削除できるのはオーナーだけです。",
  "Only an owner can give or take away the owner role; admins manage the other roles.": "オーナーのロールを付け外しできるのはオーナーだけです。その他のロールは管理者が管理します。",
  "Only an owner can make someone an owner.": "オーナーにできるのはオーナーだけです。",
  "Only members can leave a workspace.": "ワークスペースを抜けられるのはメンバーだけです。",
  "Only operators and admins can acknowledge incidents.": "障害を確認済みにできるのはオペレーターと管理者だけです。",
  "Only operators and admins can control agents.": "エージェントを操作できるのはオペレーターと管理者だけです。",
  "Only operators and admins can plan maintenance windows.": "メンテナンス枠を計画できるのはオペレーターと管理者だけです。",
  "Only operators and admins can reassign runs.": "実行を割り当て直せるのはオペレーターと管理者だけです。",
  "Only operators and admins can rerun runs.": "再実行できるのはオペレーターと管理者だけです。",
  "That agent does not exist in this workspace.": "このワークスペースにそのエージェントはありません。",
  "That incident does not exist in this workspace.": "このワークスペースにその障害はありません。",
  "That job is not in this workspace.": "そのジョブはこのワークスペースにありません。",
  "That maintenance window does not exist (or you may not remove it).": "そのメンテナンス枠はありません (または削除する権限がありません)。",
  "That person is already a member of this workspace.": "その人はすでにこのワークスペースのメンバーです。",
  "That person is not a member of this workspace.": "その人はこのワークスペースのメンバーではありません。",
  "That workspace does not exist.": "そのワークスペースはありません。",
  "This agent has been detached.": "このエージェントは切り離されています。",
  "This incident is already acknowledged.": "この障害はすでに確認済みです。",
  "This incident is already resolved.": "この障害はすでに解決済みです。",
  "You are already a member of this workspace.": "あなたはすでにこのワークスペースのメンバーです。",
  "Content-Type must be application/json": "Content-Type は application/json にしてください",
};

const FIELDS: Record<string, string> = {
  minute: "分",
  hour: "時",
  "day-of-month": "日",
  month: "月",
  "day-of-week": "曜日",
};

const LABELS: Record<string, string> = {
  "The period": "間隔",
  Grace: "猶予",
  Timeout: "タイムアウト",
  "The failure threshold": "失敗のしきい値",
  "The recovery threshold": "回復のしきい値",
  Reminders: "リマインダー",
  "Stall minutes": "停滞の分数",
  "The minimum duration": "最小時間",
  "The maximum duration": "最大時間",
  "The p95 factor": "p95 の倍率",
  "The number of runs": "実行数",
  "Default grace": "既定の猶予",
  "Log retention": "ログの保持期間",
  "Run history": "実行履歴の保持期間",
};

const label = (english: string) => LABELS[english] ?? english;
const field = (english: string) => FIELDS[english] ?? english;

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^The (\S+) field cannot read “(.+)”: a step is written like \*\/15$/, (m) => `${field(m[1]!)}のフィールドの「${m[2]}」が読めません。間隔は */15 のように書きます`],
  [/^The (\S+) field cannot read “(.+)”$/, (m) => `${field(m[1]!)}のフィールドの「${m[2]}」が読めません`],
  [/^The (\S+) field goes from (\d+) to (\d+); (\d+) is outside it$/, (m) => `${field(m[1]!)}は ${m[2]}〜${m[3]} です。${m[4]} は範囲外です`],
  [/^The (\S+) range “(.+)” runs backwards$/, (m) => `${field(m[1]!)}の範囲「${m[2]}」が逆順です`],
  [/^(.+) must be a number$/, (m) => `${label(m[1]!)}は数値にしてください`],
  [/^(.+) must be a whole number$/, (m) => `${label(m[1]!)}は整数にしてください`],
  [/^(.+) must be at least ([\d.]+)$/, (m) => `${label(m[1]!)}は ${m[2]} 以上にしてください`],
  [/^(.+) must be at most ([\d.]+)$/, (m) => `${label(m[1]!)}は ${m[2]} 以下にしてください`],
  [/^An HTTP job's timeout is at most (\d+) seconds$/, (m) => `HTTP ジョブのタイムアウトは ${m[1]} 秒までです`],
  [/^Type (.+) to confirm\.$/, (m) => `確認のため ${m[1]} と入力してください。`],
  [/^Too many attempts; try again in (\d+) s\.$/, (m) => `試行が多すぎます。${m[1]} 秒後にもう一度お試しください。`],
  [/^Invalid JSON: (.+)$/, (m) => `JSON として読めません: ${m[1]}`],
];

/** A server message in the reader's language, when it is one the server writes; else as it is. */
export function localizeServerText(text: string, locale: Locale): string;
export function localizeServerText(text: string | undefined, locale: Locale): string | undefined;
export function localizeServerText(text: string | undefined, locale: Locale): string | undefined {
  if (!text || locale === "en") return text;
  const exact = EXACT[text];
  if (exact) return exact;
  for (const [pattern, render] of PATTERNS) {
    const match = pattern.exec(text);
    if (match) return render(match);
  }
  return text;
}

/** A form action's answer with its message and field errors in the reader's language. */
export function localizeActionState<S extends { error?: string; fieldErrors?: Record<string, string> }>(state: S, locale: Locale): S {
  if (locale === "en" || (!state.error && !state.fieldErrors)) return state;
  return {
    ...state,
    error: localizeServerText(state.error, locale),
    fieldErrors: state.fieldErrors
      ? Object.fromEntries(Object.entries(state.fieldErrors).map(([name, message]) => [name, localizeServerText(message, locale)]))
      : undefined,
  };
}
