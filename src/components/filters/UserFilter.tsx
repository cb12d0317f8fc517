import React from 'react';
import { USER_WORDS } from '../../shared/user';
import { FilterSelect } from './FilterSelect';

interface UserFilterProps {
  inputId: string;
  /** The probe's users (its topology). */
  users: readonly string[];
  /** Whose report; null: every user's. */
  user: string | null;
  /** The page's word for no one user. */
  noneLabel: string;
  onChange(user: string | null): void;
}

/** Whose report the triage and Incidents pages judge: one of the probe's users, or every user. */
export function UserFilter(p: UserFilterProps) {
  // A user the URL names but the probe does not list stays shown (the probe's answer says what is wrong).
  const names = p.user !== null && !p.users.includes(p.user) ? [...p.users, p.user] : p.users;
  return (
    <FilterSelect
      label={USER_WORDS.field}
      description={USER_WORDS.fieldDescription}
      inputId={p.inputId}
      width={20}
      noneLabel={p.noneLabel}
      options={names.map((u) => ({ label: u, value: u }))}
      value={p.user}
      onChange={p.onChange}
    />
  );
}
