/** Every TypeORM entity, listed once for the app and the migration CLI. */
export const ENTITIES: (new () => object)[] = [];
