import type { PendingInvitation, Role, StaffMember } from '../../auth/index.ts'
import { formatDateTime } from '../../site/index.ts'
import { AdminLayout, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { PostButton } from '../shell/record-fields.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

const ROLES: { role: Role; label: string }[] = [
  { role: 'admin', label: 'Admin' },
  { role: 'editor', label: 'Editor' },
  { role: 'author', label: 'Author' },
  { role: 'contributor', label: 'Contributor' },
]

export interface StaffPageProps {
  chrome: AdminChrome
  staff: StaffMember[]
  invitations: PendingInvitation[]
  /** A change to one account that was refused (the last admin): its message goes beside the control in that account's row. */
  refusal: StaffRefusal | null
  selfId: string
  errors: FieldErrors
  values: { email: string; role: string }
  notice: string | null
  /** An invitation saved whose mail could not be sent: the admin passes the link on by hand. */
  unsent: UnsentInvitation | null
  timeZone: string
}

export interface StaffRefusal {
  userId: string
  /** The refused change: `role`, `deactivate`, … */
  action: string
  message: string
}

export interface UnsentInvitation {
  email: string
  link: string
}

/** Everyone with an account: roles, last sign-in, two-factor; invitations; role changes; deactivation. */
export function StaffPage(props: StaffPageProps) {
  const { chrome, errors, timeZone, refusal } = props
  const names = new Map(props.staff.map((m) => [m.id, m.name]))
  const refusedHere = (member: StaffMember, action: string) => (refusal && refusal.userId === member.id && refusal.action === action ? refusal.message : null)
  return (
    <AdminLayout chrome={chrome} title="Staff">
      <h1>Staff</h1>
      {props.notice ? (
        <p class="notice notice-ok" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.unsent ? (
        <div class="notice notice-warn" role="alert">
          <p>
            The invitation to {props.unsent.email} is saved, but the mail could not be sent: the mail server refused it or could not be reached. Pass this link on
            yourself; it works once, for 7 days. Or use <strong>Send again</strong> below once the mail server works, which makes a new link.
          </p>
          <p>
            <code class="secret">{props.unsent.link}</code>
          </p>
        </div>
      ) : null}
      {errors._form ? (
        <p class="notice notice-danger" role="alert">
          {errors._form}
        </p>
      ) : null}
      <section aria-labelledby="invite-title">
        <h2 id="invite-title">Invite a colleague</h2>
        <form method="post" action="/admin/staff/invite" class="filters">
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <Field name="email" label="Email" type="email" value={props.values.email} required error={errors.email} />
          <div class="field">
            <label for="field-role">Role</label>
            <select id="field-role" name="role">
              {ROLES.map((r) => (
                <option value={r.role} selected={props.values.role === r.role}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Send the invitation</button>
        </form>
        <p class="hint">The invitation link works once, for 7 days. The colleague chooses their name and password.</p>
      </section>
      {props.invitations.length > 0 ? (
        <section aria-labelledby="invitations-title">
          <h2 id="invitations-title">Invitations waiting</h2>
          <TableScroll label="Table of invitations waiting">
            <table>
              <caption class="visually-hidden">Invitations not yet accepted</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Invited</th>
                  <th scope="col">Link works until</th>
                  <th scope="col">Invitation</th>
                </tr>
              </thead>
              <tbody>
                {props.invitations.map((invitation) => (
                  <tr>
                    <th scope="row">{invitation.email}</th>
                    <td>{ROLES.find((r) => r.role === invitation.role)?.label ?? invitation.role}</td>
                    <td>
                      <time datetime={invitation.createdAt}>{formatDateTime(invitation.createdAt, timeZone)}</time>
                      {invitation.invitedBy ? <span class="meta"> by {names.get(invitation.invitedBy) ?? 'a former colleague'}</span> : null}
                    </td>
                    <td>
                      <time datetime={invitation.expiresAt}>{formatDateTime(invitation.expiresAt, timeZone)}</time>
                    </td>
                    <td>
                      <form method="post" action="/admin/staff/invitations/resend">
                        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
                        <input type="hidden" name="email" value={invitation.email} />
                        <button type="submit">
                          Send again<span class="visually-hidden"> to {invitation.email}</span>
                        </button>
                      </form>
                      <form method="post" action="/admin/staff/invitations/revoke">
                        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
                        <input type="hidden" name="email" value={invitation.email} />
                        <button type="submit" class="button-danger">
                          Revoke<span class="visually-hidden"> the invitation to {invitation.email}</span>
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <p class="hint">Sending again mails a new link, valid for 7 more days; the earlier link stops working.</p>
        </section>
      ) : null}
      <section aria-labelledby="staff-title">
        <h2 id="staff-title">Accounts</h2>
        <TableScroll label="Table of staff accounts">
          <table>
            <caption class="visually-hidden">Staff accounts</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Two-factor</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {props.staff.map((member) => (
                <tr class={member.deactivatedAt ? 'inactive' : undefined}>
                  <th scope="row">
                    {member.name}
                    <br />
                    <span class="meta">{member.email}</span>
                  </th>
                  <td>
                    <form method="post" action={`/admin/staff/${member.id}/role`} class="inline-form">
                      <input type="hidden" name="_csrf" value={chrome.csrfToken} />
                      <label class="visually-hidden" for={`role-${member.id}`}>
                        Role of {member.name}
                      </label>
                      <select
                        id={`role-${member.id}`}
                        name="role"
                        disabled={member.deactivatedAt !== null}
                        aria-invalid={refusedHere(member, 'role') ? 'true' : undefined}
                        aria-describedby={refusedHere(member, 'role') ? `role-${member.id}-error` : undefined}
                      >
                        {ROLES.map((r) => (
                          <option value={r.role} selected={member.role === r.role}>
                            {r.label}
                          </option>
                        ))}
                      </select>
                      <button type="submit" disabled={member.deactivatedAt !== null}>
                        Change<span class="visually-hidden"> the role of {member.name}</span>
                      </button>
                    </form>
                    {refusedHere(member, 'role') ? (
                      <p class="field-error" id={`role-${member.id}-error`}>
                        {refusedHere(member, 'role')}
                      </p>
                    ) : null}
                  </td>
                  <td>{member.lastSignInAt ? <time datetime={member.lastSignInAt}>{formatDateTime(member.lastSignInAt, timeZone)}</time> : 'Never'}</td>
                  <td>
                    {member.hasTwoFactor ? (
                      member.id === props.selfId || member.deactivatedAt ? (
                        'On'
                      ) : (
                        <PostButton action={`/admin/staff/${member.id}/two-factor-reset`} csrfToken={chrome.csrfToken} label="Reset two-factor" subject={member.name} kind="danger">
                          <span class="meta">On. </span>
                        </PostButton>
                      )
                    ) : (
                      'Off'
                    )}
                  </td>
                  <td>
                    {member.deactivatedAt ? (
                      <PostButton action={`/admin/staff/${member.id}/reactivate`} csrfToken={chrome.csrfToken} label="Reactivate" subject={member.name}>
                        <span class="meta">Deactivated {formatDateTime(member.deactivatedAt, timeZone)}. </span>
                      </PostButton>
                    ) : member.id === props.selfId ? (
                      <span class="meta">You</span>
                    ) : (
                      <PostButton action={`/admin/staff/${member.id}/deactivate`} csrfToken={chrome.csrfToken} label="Deactivate" subject={member.name} kind="danger" />
                    )}
                    {refusedHere(member, 'deactivate') ? <p class="field-error">{refusedHere(member, 'deactivate')}</p> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <p class="hint">
          <strong>Reset two-factor</strong> is for a colleague who lost both their authenticator app and their recovery codes: it turns two-factor sign-in off for them and
          signs them out everywhere, so they sign in with their password and set up a new app.
        </p>
      </section>
    </AdminLayout>
  )
}
