import type { Role, StaffMember } from '../../auth/index.ts'
import { formatDateTime } from '../../site/index.ts'
import { AdminLayout, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { PostButton } from '../shell/record-fields.tsx'

const ROLES: { role: Role; label: string }[] = [
  { role: 'admin', label: 'Admin' },
  { role: 'editor', label: 'Editor' },
  { role: 'author', label: 'Author' },
  { role: 'contributor', label: 'Contributor' },
]

export interface StaffPageProps {
  chrome: AdminChrome
  staff: StaffMember[]
  selfId: string
  errors: FieldErrors
  values: { email: string; role: string }
  notice: string | null
  /** An invitation saved whose mail could not be sent: the admin passes the link on by hand. */
  unsent: UnsentInvitation | null
  timeZone: string
}

export interface UnsentInvitation {
  email: string
  link: string
}

/** Everyone with an account: roles, last sign-in, two-factor; invitations; role changes; deactivation. */
export function StaffPage(props: StaffPageProps) {
  const { chrome, errors, timeZone } = props
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
            yourself; it works once, for 7 days. Or send the invitation again later, which makes a new link.
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
      <section aria-labelledby="staff-title">
        <h2 id="staff-title">Accounts</h2>
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
                    <select id={`role-${member.id}`} name="role" disabled={member.deactivatedAt !== null}>
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
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="hint">
          <strong>Reset two-factor</strong> is for a colleague who lost both their authenticator app and their recovery codes: it turns two-factor sign-in off for them and
          signs them out everywhere, so they sign in with their password and set up a new app.
        </p>
      </section>
    </AdminLayout>
  )
}
