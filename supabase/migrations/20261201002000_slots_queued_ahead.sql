-- At the top of the hour thousands of slots fall due together. Reading each job into the tick,
-- working out its following slot and sending it back took most of that minute, so the tick works
-- the following slot out ahead, at a quiet minute: slot_after_at is the slot after next_slot_at,
-- and slot_after_counts_from the earliest start that counts for it. When next_slot_at comes, one
-- statement queues its run and moves the job on to slot_after_at inside the database. Until they
-- are filled in, after a schedule change (next_slot_at reset to -infinity), and whenever the tick
-- was down past slot_after_at, the tick reads the job and works its slot out as before: a late
-- fill-in costs time, never a slot.
alter table public.schedule_due_times
  add column slot_after_at timestamptz,
  add column slot_after_counts_from timestamptz;
