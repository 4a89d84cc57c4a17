import { AdminLayout, type AdminChrome } from './layout.tsx'

/** An error inside the admin. */
export function AdminErrorPage({ chrome, title, message }: { chrome: AdminChrome; title: string; message: string }) {
  return (
    <AdminLayout chrome={chrome} title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/admin">Back to the newsroom</a>
      </p>
    </AdminLayout>
  )
}
