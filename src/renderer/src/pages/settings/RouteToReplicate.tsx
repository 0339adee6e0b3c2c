/**
 * The routeToReplicate setting: the local API answers for a model that is not here by running it on
 * Replicate with the user's token (never one marked "Local only" on its page); answers say where it ran.
 */
export function RouteToReplicate({ checked, onChange }: { checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> Run a model that is not here on Replicate, with your Replicate token
      </label>
      <p className="muted small">
        Code pointed at Cogdesk then runs locally when it can and in the cloud otherwise; each answer says where it ran (ran_on, X-Cogdesk-Ran-On). Never for a model
        marked Local only on its page. <code>cogdesk serve --route-to-replicate</code> turns it on for one server.
      </p>
    </>
  );
}
