import { usePredictions } from '../../state/predictions';
import { HistoryRow } from './HistoryRow';
import './history.css';

/** The history, newest first. */
export function HistoryTable() {
  const { ids, byId } = usePredictions();
  return (
    <table className="history">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Compare</span>
          </th>
          <th scope="col">
            <span className="visually-hidden">Output</span>
          </th>
          <th scope="col">Prediction</th>
          <th scope="col">Model</th>
          <th scope="col">Input</th>
          <th scope="col">Status</th>
          <th scope="col">Predict time</th>
          <th scope="col" title="On Replicate: what it cost; ~ for a local run: what it would have cost there">
            Cost
          </th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>{ids.map((id) => (byId[id] ? <HistoryRow key={id} prediction={byId[id]} /> : null))}</tbody>
    </table>
  );
}
