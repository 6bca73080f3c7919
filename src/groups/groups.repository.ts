import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** An agent group: the tier it works and the categories it covers. */
export interface Group {
  id: string;
  name: string;
  tier: number;
  categories: string[];
  members: string[];
  /** Moves on with every change, members included: the ETag. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewGroup {
  name: string;
  tier: number;
  categories: string[];
  members: string[];
}

/** What a PATCH changes; absent members stay as they are. */
export type GroupChanges = Partial<NewGroup>;

interface GroupRow {
  id: string;
  name: string;
  tier: number;
  categories: string[];
  members: string[];
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, name, tier, categories, members, version, created_at, updated_at';

/**
 * Agent groups' queries.
 * TypeORM answers UPDATE and DELETE with `[rows, affectedCount]`, other statements with the rows.
 */
@Injectable()
export class GroupsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listInOrder(): Promise<Group[]> {
    const rows: GroupRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM groups ORDER BY tier, name, id`,
    );
    return rows.map(toGroup);
  }

  async findById(id: string): Promise<Group | undefined> {
    const rows: GroupRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM groups WHERE id = $1`, [id]);
    return rows.length === 0 ? undefined : toGroup(rows[0]);
  }

  /**
   * The group that takes a category's tickets at a tier: new tickets go to tier 1, escalation moves
   * them up. When several groups qualify, the oldest one wins, so routing is stable.
   */
  async findForCategoryAndTier(category: string, tier: number): Promise<Group | undefined> {
    const rows: GroupRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM groups WHERE tier = $2 AND $1 = ANY (categories)
        ORDER BY created_at, id LIMIT 1`,
      [category, tier],
    );
    return rows.length === 0 ? undefined : toGroup(rows[0]);
  }

  /** True when another group than `exceptId` has this name. */
  async nameTaken(name: string, exceptId?: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM groups WHERE name = $1 AND id IS DISTINCT FROM $2::uuid`,
      [name, exceptId ?? null],
    );
    return rows.length > 0;
  }

  async create(group: NewGroup): Promise<Group> {
    const [row]: GroupRow[] = await this.dataSource.query(
      `INSERT INTO groups (name, tier, categories, members) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [group.name, group.tier, group.categories, group.members],
    );
    return toGroup(row);
  }

  /**
   * Applies the changes; a new tier is carried to the group's tickets in the same transaction (a
   * ticket's `tier` is its group's), as a change of theirs: new version, so their ETags move on.
   */
  async update(id: string, changes: GroupChanges, expectedVersion?: number): Promise<Group | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [rows]: [GroupRow[], number] = await manager.query(
        `UPDATE groups SET
         name = COALESCE($2, name),
         tier = COALESCE($3, tier),
         categories = COALESCE($4::text[], categories),
         members = COALESCE($5::text[], members),
         version = version + 1,
         updated_at = now()
       WHERE id = $1 AND ($6::int IS NULL OR version = $6) RETURNING ${COLUMNS}`,
        [
          id,
          changes.name ?? null,
          changes.tier ?? null,
          changes.categories ?? null,
          changes.members ?? null,
          expectedVersion ?? null,
        ],
      );
      if (rows.length === 0) return undefined;
      if (changes.tier !== undefined) {
        await manager.query(
          `UPDATE tickets SET tier = $2, version = version + 1, updated_at = now()
            WHERE group_id = $1 AND tier <> $2`,
          [id, changes.tier],
        );
      }
      return toGroup(rows[0]);
    });
  }

  /**
   * Deletes a group no ticket is in. The row lock waits for tickets being put into the group (their
   * foreign key check holds a share lock on it), so one placed meanwhile is seen and keeps the group.
   */
  async deleteUnused(id: string): Promise<'deleted' | 'in_use' | 'not_found'> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await manager.query(`SELECT id FROM groups WHERE id = $1 FOR UPDATE`, [id]);
      if (locked.length === 0) return 'not_found';
      const [{ used }] = await manager.query(
        `SELECT EXISTS (SELECT 1 FROM tickets WHERE group_id = $1) AS used`,
        [id],
      );
      if (used) return 'in_use';
      await manager.query(`DELETE FROM groups WHERE id = $1`, [id]);
      return 'deleted';
    });
  }

  /** Adds an agent unless already a member; undefined when there is no such group. */
  async addMember(id: string, agentId: string): Promise<Group | undefined> {
    const [rows]: [GroupRow[], number] = await this.dataSource.query(
      `UPDATE groups SET members = array_append(members, $2), version = version + 1, updated_at = now()
        WHERE id = $1 AND NOT ($2 = ANY (members)) RETURNING ${COLUMNS}`,
      [id, agentId],
    );
    return rows.length > 0 ? toGroup(rows[0]) : this.findById(id);
  }

  /** Removes an agent if a member; undefined when there is no such group. */
  async removeMember(id: string, agentId: string): Promise<Group | undefined> {
    const [rows]: [GroupRow[], number] = await this.dataSource.query(
      `UPDATE groups SET members = array_remove(members, $2), version = version + 1, updated_at = now()
        WHERE id = $1 AND $2 = ANY (members) RETURNING ${COLUMNS}`,
      [id, agentId],
    );
    return rows.length > 0 ? toGroup(rows[0]) : this.findById(id);
  }
}

function toGroup(row: GroupRow): Group {
  return {
    id: row.id,
    name: row.name,
    tier: row.tier,
    categories: row.categories,
    members: row.members,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
