import type { PushPlan } from '../../../../shared/push';

/** What a push will do, before anything is created. */
export function PushPlanView({ plan }: { plan: PushPlan }) {
  return (
    <section className="panel push-plan" aria-labelledby="push-plan" data-testid="push-plan">
      <h3 id="push-plan">The plan</h3>
      <ul>
        <li>
          Push image <code>{plan.version.imageRef}</code> as <code>{plan.destination.image}</code>
        </li>
        {plan.model.exists ? (
          <li>
            Add a version to the existing model <strong>{plan.destination.id}</strong> ({plan.model.visibility ?? 'visibility unknown'})
          </li>
        ) : (
          <li>
            Create the model <strong>{plan.destination.id}</strong>: {plan.model.visibility}, hardware <code>{plan.model.hardware.sku}</code>
            {plan.model.hardware.name ? ` (${plan.model.hardware.name})` : ''} — {plan.model.hardware.reason}
          </li>
        )}
        <li>
          As account <strong>{plan.account}</strong>; registry credentials: {plan.credentials.source ?? 'none'}
        </li>
        {plan.alreadyPushed && <li>Already pushed as {plan.alreadyPushed.modelId}:{plan.alreadyPushed.remoteVersionId.slice(0, 12)}</li>}
      </ul>
      {plan.warnings.map((w) => (
        <p key={w} className="notice">
          {w}
        </p>
      ))}
    </section>
  );
}
