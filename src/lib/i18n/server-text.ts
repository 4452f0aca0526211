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
  "Use five fields: minute hour day-of-month month day-of-week (for example 30 3 * * *)": "分 時 日 月 曜日 の 5 つのフィールドで書いてください (例: 30 3 * * *)",
  "This cron expression cannot be read: use five fields like 30 3 * * 1-5": "この cron 式は読めません。30 3 * * 1-5 のように 5 つのフィールドで書いてください",
  "Parameters are not valid JSON.": "パラメータが正しい JSON ではありません。",
  "Parameters must be a JSON object.": "パラメータは JSON オブジェクトにしてください。",
  "Parameters do not match this job's schema.": "パラメータがこのジョブのスキーマに合いません。",
  "Parameters are too long (100 KB at most).": "パラメータが長すぎます (100 KB まで)。",
  'Expected an object like {"key": 1}': '{"key": 1} のようなオブジェクトにしてください',
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
  [/^Too many attempts; try again in (\d+) s\.$/, (m) => `試行が多すぎます。${m[1]} 秒後にもう一度お試しください。`],
  [/^Invalid JSON: (.+)$/, (m) => `JSON として読めません: ${m[1]}`],
  [/^Enter the (start|end) as a date and time, like (.+)$/, (m) => `${m[1] === "start" ? "開始" : "終了"}を ${m[2]} のような日時で入力してください`],
  // zod's own words, for a field a form did not send or sent in the wrong shape.
  [/^Invalid input: expected \w+, received undefined$/, () => "この項目を入力してください"],
  [/^Invalid input: expected \w+, received \w+$/, () => "この項目の形式が正しくありません"],
  [/^Invalid option: expected one of .+$/, () => "選択肢から選んでください"],
  [/^Invalid (UUID|URL|input)$/, () => "この項目の値が正しくありません"],
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
