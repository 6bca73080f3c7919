import { Injectable } from '@nestjs/common';
import { CategoriesService } from '../categories/categories.service';
import { AppError, type FieldError } from '../common/errors/app-error';
import { expectedVersion, staleVersion } from '../common/http/etag';
import type { CreateGroupDto, UpdateGroupDto } from './dto/group.dto';
import { type Group, GroupsRepository } from './groups.repository';

/** Groups' rules: names unique, categories that exist, members listed once, groups with tickets kept. */
@Injectable()
export class GroupsService {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly categories: CategoriesService,
  ) {}

  list(): Promise<Group[]> {
    return this.groups.listInOrder();
  }

  async get(id: string): Promise<Group> {
    const group = await this.groups.findById(id);
    if (!group) throw AppError.notFound('Group');
    return group;
  }

  async create(input: CreateGroupDto): Promise<Group> {
    const categories = unique(input.categories);
    await this.assertCategoriesExist(categories);
    if (await this.groups.nameTaken(input.name)) {
      throw new AppError('conflict', `A group named "${input.name}" already exists.`);
    }
    return this.groups.create({
      name: input.name,
      tier: input.tier,
      categories,
      members: unique(input.members ?? []),
    });
  }

  async update(id: string, input: UpdateGroupDto, ifMatch?: string): Promise<Group> {
    const categories = input.categories && unique(input.categories);
    if (categories) await this.assertCategoriesExist(categories);
    const version = expectedVersion('group', ifMatch, (await this.get(id)).version);
    if (input.name !== undefined && (await this.groups.nameTaken(input.name, id))) {
      throw new AppError('conflict', `A group named "${input.name}" already exists.`);
    }
    const updated = await this.groups.update(
      id,
      { name: input.name, tier: input.tier, categories, members: input.members && unique(input.members) },
      version,
    );
    if (updated) return updated;
    throw staleVersion('group', (await this.get(id)).version);
  }

  async remove(id: string): Promise<void> {
    const outcome = await this.groups.deleteUnused(id);
    if (outcome === 'not_found') throw AppError.notFound('Group');
    if (outcome === 'in_use') {
      throw new AppError('conflict', 'Tickets are in this group: move them to another group first.');
    }
  }

  /** Idempotent: adding a member twice leaves one. */
  async addMember(id: string, agentId: string): Promise<Group> {
    assertAgentId(agentId);
    const group = await this.groups.addMember(id, agentId);
    if (!group) throw AppError.notFound('Group');
    return group;
  }

  /** Idempotent: removing someone who is not a member changes nothing. */
  async removeMember(id: string, agentId: string): Promise<void> {
    assertAgentId(agentId);
    if (!(await this.groups.removeMember(id, agentId))) throw AppError.notFound('Group');
  }

  private async assertCategoriesExist(keys: string[]): Promise<void> {
    const unknown = await this.categories.findUnknownKeys(keys);
    if (unknown.length > 0) {
      throw AppError.validation(
        unknown.map((key): FieldError => ({ field: 'categories', message: `unknown category "${key}"` })),
      );
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function assertAgentId(agentId: string): void {
  if (agentId.length < 1 || agentId.length > 200 || CONTROL_CHARACTERS.test(agentId)) {
    throw AppError.validation([
      { field: 'agentId', message: 'must be 1–200 characters, without control characters' },
    ]);
  }
}
