import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { FieldDefinition } from './field-definitions';

export interface Subcategory {
  key: string;
  name: string;
  enabled: boolean;
}

/** A category of the catalogue with its subcategories in display order. */
export interface Category {
  key: string;
  name: string;
  enabled: boolean;
  position: number;
  fields: FieldDefinition[];
  requireOneOf: string[][];
  subcategories: Subcategory[];
  /** Moves on with every change of the category or of its subcategories: the ETag. */
  version: number;
}

export interface NewCategory {
  key: string;
  name: string;
  fields: FieldDefinition[];
  requireOneOf: string[][];
  subcategories: { key: string; name: string }[];
}

/** What a PATCH changes; absent members stay as they are. */
export interface CategoryChanges {
  name?: string;
  enabled?: boolean;
  fields?: FieldDefinition[];
  requireOneOf?: string[][];
}

interface CategoryRow {
  key: string;
  name: string;
  enabled: boolean;
  position: number;
  fields: FieldDefinition[];
  require_one_of: string[][];
  version: number;
}

interface SubcategoryRow {
  category_key: string;
  key: string;
  name: string;
  enabled: boolean;
}

const CATEGORY_COLUMNS = 'key, name, enabled, position, fields, require_one_of, version';
const SUBCATEGORY_COLUMNS = 'category_key, key, name, enabled';

/**
 * The catalogue's queries: categories with their subcategories and field definitions.
 * TypeORM answers UPDATE and DELETE with `[rows, affectedCount]`, other statements with the rows.
 */
@Injectable()
export class CategoriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every category in display order; without `includeDisabled`, only enabled ones with enabled subcategories. */
  async listInOrder(includeDisabled: boolean): Promise<Category[]> {
    const rows: CategoryRow[] = await this.dataSource.query(
      `SELECT ${CATEGORY_COLUMNS} FROM categories WHERE enabled OR $1 ORDER BY position, key`,
      [includeDisabled],
    );
    return this.withSubcategories(this.dataSource.manager, rows, includeDisabled);
  }

  async findByKey(key: string, includeDisabled = true): Promise<Category | undefined> {
    return this.findByKeyWith(this.dataSource.manager, key, includeDisabled);
  }

  /** The keys among `keys` that name no category (disabled ones exist). */
  async findMissingKeys(keys: string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows: { key: string }[] = await this.dataSource.query(
      `SELECT k AS key FROM unnest($1::text[]) WITH ORDINALITY AS given (k, n)
        WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.key = given.k) ORDER BY n`,
      [keys],
    );
    return rows.map((row) => row.key);
  }

  async subcategoryExists(categoryKey: string, key: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM subcategories WHERE category_key = $1 AND key = $2`,
      [categoryKey, key],
    );
    return rows.length > 0;
  }

  /** Inserts the category last in display order, its subcategories in the given order. */
  async create(category: NewCategory): Promise<Category> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO categories (key, name, position, fields, require_one_of)
         VALUES ($1, $2, (SELECT COALESCE(MAX(position) + 1, 0) FROM categories), $3, $4)`,
        [category.key, category.name, JSON.stringify(category.fields), JSON.stringify(category.requireOneOf)],
      );
      for (const [position, subcategory] of category.subcategories.entries()) {
        await manager.query(
          `INSERT INTO subcategories (category_key, key, name, position) VALUES ($1, $2, $3, $4)`,
          [category.key, subcategory.key, subcategory.name, position],
        );
      }
      return (await this.findByKeyWith(manager, category.key, true))!;
    });
  }

  /**
   * Applies the changes while the category is still at `expectedVersion` (any version when absent);
   * undefined when there is no such category, or when it has moved past that version.
   */
  async update(
    key: string,
    changes: CategoryChanges,
    expectedVersion?: number,
  ): Promise<Category | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [rows]: [{ key: string }[], number] = await manager.query(
        `UPDATE categories SET
           name = COALESCE($2, name),
           enabled = COALESCE($3, enabled),
           fields = COALESCE($4::jsonb, fields),
           require_one_of = COALESCE($5::jsonb, require_one_of),
           version = version + 1,
           updated_at = now()
         WHERE key = $1 AND ($6::int IS NULL OR version = $6) RETURNING key`,
        [
          key,
          changes.name ?? null,
          changes.enabled ?? null,
          changes.fields === undefined ? null : JSON.stringify(changes.fields),
          changes.requireOneOf === undefined ? null : JSON.stringify(changes.requireOneOf),
          expectedVersion ?? null,
        ],
      );
      return rows.length === 0 ? undefined : this.findByKeyWith(manager, key, true);
    });
  }

  /**
   * Deletes a category no ticket refers to, and drops it from the groups that cover it. The row lock
   * waits for tickets being inserted into the category (their foreign key check holds a share lock),
   * so a ticket created meanwhile is seen and keeps the category.
   */
  async deleteUnused(key: string): Promise<'deleted' | 'in_use' | 'not_found'> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await manager.query(`SELECT key FROM categories WHERE key = $1 FOR UPDATE`, [key]);
      if (locked.length === 0) return 'not_found';
      const [{ used }] = await manager.query(
        `SELECT EXISTS (SELECT 1 FROM tickets WHERE category = $1) AS used`,
        [key],
      );
      if (used) return 'in_use';
      await manager.query(
        `UPDATE groups SET categories = array_remove(categories, $1), version = version + 1, updated_at = now()
          WHERE $1 = ANY (categories)`,
        [key],
      );
      await manager.query(`DELETE FROM categories WHERE key = $1`, [key]);
      return 'deleted';
    });
  }

  /** Adds a subcategory last in its category's display order (a new version of the category). */
  async createSubcategory(categoryKey: string, key: string, name: string): Promise<Subcategory | undefined> {
    const [row]: SubcategoryRow[] = await this.dataSource.query(
      `WITH category AS (
         UPDATE categories SET version = version + 1, updated_at = now() WHERE key = $1 RETURNING key
       )
       INSERT INTO subcategories (category_key, key, name, position)
       SELECT key, $2, $3, (SELECT COALESCE(MAX(position) + 1, 0) FROM subcategories WHERE category_key = $1)
         FROM category
       RETURNING ${SUBCATEGORY_COLUMNS}`,
      [categoryKey, key, name],
    );
    return row === undefined ? undefined : toSubcategory(row);
  }

  async updateSubcategory(
    categoryKey: string,
    key: string,
    changes: { name?: string; enabled?: boolean },
  ): Promise<Subcategory | undefined> {
    const rows: SubcategoryRow[] = await this.dataSource.query(
      `WITH sub AS (
         UPDATE subcategories SET name = COALESCE($3, name), enabled = COALESCE($4, enabled)
          WHERE category_key = $1 AND key = $2 RETURNING ${SUBCATEGORY_COLUMNS}
       ), category AS (
         UPDATE categories SET version = version + 1, updated_at = now()
          WHERE key = $1 AND EXISTS (SELECT 1 FROM sub)
       )
       SELECT * FROM sub`,
      [categoryKey, key, changes.name ?? null, changes.enabled ?? null],
    );
    return rows.length === 0 ? undefined : toSubcategory(rows[0]);
  }

  private async findByKeyWith(
    manager: EntityManager,
    key: string,
    includeDisabled: boolean,
  ): Promise<Category | undefined> {
    const rows: CategoryRow[] = await manager.query(
      `SELECT ${CATEGORY_COLUMNS} FROM categories WHERE key = $1 AND (enabled OR $2)`,
      [key, includeDisabled],
    );
    const [category] = await this.withSubcategories(manager, rows, includeDisabled);
    return category;
  }

  private async withSubcategories(
    manager: EntityManager,
    rows: CategoryRow[],
    includeDisabled: boolean,
  ): Promise<Category[]> {
    if (rows.length === 0) return [];
    const subcategories: SubcategoryRow[] = await manager.query(
      `SELECT ${SUBCATEGORY_COLUMNS} FROM subcategories
        WHERE category_key = ANY ($1::text[]) AND (enabled OR $2)
        ORDER BY position, key`,
      [rows.map((row) => row.key), includeDisabled],
    );
    return rows.map((row) => ({
      key: row.key,
      name: row.name,
      enabled: row.enabled,
      position: row.position,
      fields: row.fields,
      requireOneOf: row.require_one_of,
      version: row.version,
      subcategories: subcategories.filter((sub) => sub.category_key === row.key).map(toSubcategory),
    }));
  }
}

function toSubcategory(row: SubcategoryRow): Subcategory {
  return { key: row.key, name: row.name, enabled: row.enabled };
}
