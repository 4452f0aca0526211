-- Wrong passwords slow an account down instead of locking it: after a few, each further attempt
-- from an address the account has not signed in from waits longer than the last. The owner,
-- signing in from an address they have used before, is not held back by someone else's guesses.
create table private.sign_in_slowdowns (
  account text primary key check (char_length(account) <= 64),
  failures integer not null default 0,
  last_failure_at timestamptz not null
);

-- Addresses an account has signed in from (the account and address as digests), kept 90 days.
create table private.sign_in_addresses (
  account text not null check (char_length(account) <= 64),
  address text not null check (char_length(address) <= 64),
  last_success_at timestamptz not null,
  primary key (account, address)
);

create index sign_in_addresses_last_success_idx on private.sign_in_addresses (last_success_at);

alter table private.sign_in_slowdowns enable row level security;
alter table private.sign_in_addresses enable row level security;
-- No policies and no grants: only the server (service role) reads and writes them.
revoke all on private.sign_in_slowdowns, private.sign_in_addresses from public, anon, authenticated;
grant all on private.sign_in_slowdowns, private.sign_in_addresses to service_role;
