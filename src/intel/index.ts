// Public API of the intelligence domain: evidence, FtM entities and links, networks and serial alerts.
export {
  getEntities,
  insertLinks,
  linksTouching,
  upsertEntities,
  type Entity,
  type Link,
  type Origin,
  type Properties,
} from './entities/store.js';
