// Worker thread for `GET /api/intel/candidates` (the server's work pool): the screening matcher indexes every
// party's name and screens the queried ones here, so a large entity set never holds the server's event loop.
import { serveWork } from '../../http/work-worker.js';
import { namePairs, type Party } from './candidates.js';

serveWork((parties: Party[]) => namePairs(parties));
