import { Injectable } from '@nestjs/common';
import { CategoriesService } from '../categories/categories.service';
import { expectedVersion, staleVersion } from '../common/http/etag';
import { AppError, type FieldError } from '../common/errors/app-error';
import { CalendarsRepository } from './calendars.repository';
import type { CreateSlaPolicyDto, PolicyConditionsDto, UpdateSlaPolicyDto } from './dto/sla-policy.dto';
import {
  type PolicyConditions,
  type SlaPolicy,
  SlaPoliciesRepository,
  type SlaPolicyWithCalendar,
} from './sla-policies.repository';

const DEFAULT_ESCALATION = { atRiskPercent: 80, maxLevel: 3 };

/** SLA policies' rules: an existing calendar, known categories, unique names, positions kept in order. */
@Injectable()
export class SlaPoliciesService {
  constructor(
    private readonly policies: SlaPoliciesRepository,
    private readonly calendars: CalendarsRepository,
    private readonly categories: CategoriesService,
  ) {}

  list(): Promise<SlaPolicy[]> {
    return this.policies.listInOrder();
  }

  /** Policies in the order they are tried, each with its calendar, for policy selection. */
  listForSelection(): Promise<SlaPolicyWithCalendar[]> {
    return this.policies.listInOrderWithCalendars();
  }

  async get(id: string): Promise<SlaPolicy> {
    const policy = await this.policies.findById(id);
    if (!policy) throw AppError.notFound('SLA policy');
    return policy;
  }

  async create(input: CreateSlaPolicyDto): Promise<SlaPolicy> {
    const conditions = toConditions(input.conditions ?? {});
    await this.assertReferencesExist(input.calendarId, conditions);
    if (await this.policies.nameTaken(input.name)) {
      throw new AppError('conflict', `An SLA policy named "${input.name}" already exists.`);
    }
    return this.policies.create({
      name: input.name,
      position: input.position,
      conditions,
      targets: {
        firstResponseMinutes: input.targets.firstResponseMinutes,
        nextResponseMinutes: input.targets.nextResponseMinutes,
        resolutionMinutes: input.targets.resolutionMinutes,
      },
      calendarId: input.calendarId,
      escalation: { ...DEFAULT_ESCALATION, ...definedOnly(input.escalation ?? {}) },
    });
  }

  /** Conditions are replaced; targets and escalation merge the members given into the current ones. */
  async update(id: string, input: UpdateSlaPolicyDto, ifMatch?: string): Promise<SlaPolicy> {
    const conditions = input.conditions && toConditions(input.conditions);
    await this.assertReferencesExist(input.calendarId, conditions);
    const current = await this.get(id);
    const version = expectedVersion('SLA policy', ifMatch, current.version);
    if (input.name !== undefined && (await this.policies.nameTaken(input.name, id))) {
      throw new AppError('conflict', `An SLA policy named "${input.name}" already exists.`);
    }
    const updated = await this.policies.update(
      id,
      {
        name: input.name ?? current.name,
        position: input.position ?? current.position,
        conditions: conditions ?? current.conditions,
        targets: { ...current.targets, ...definedOnly(input.targets ?? {}) },
        calendarId: input.calendarId ?? current.calendarId,
        escalation: { ...current.escalation, ...definedOnly(input.escalation ?? {}) },
      },
      version,
    );
    if (updated) return updated;
    throw staleVersion('SLA policy', (await this.get(id)).version);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.policies.delete(id))) throw AppError.notFound('SLA policy');
  }

  private async assertReferencesExist(
    calendarId: string | undefined,
    conditions: PolicyConditions | undefined,
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (calendarId !== undefined && !(await this.calendars.findById(calendarId))) {
      errors.push({ field: 'calendarId', message: 'names no calendar' });
    }
    for (const key of await this.categories.findUnknownKeys(conditions?.categories ?? [])) {
      errors.push({ field: 'conditions.categories', message: `unknown category "${key}"` });
    }
    if (errors.length > 0) throw AppError.validation(errors);
  }
}

/** The given conditions as stored: known members only, lists without repeats. */
function toConditions(input: PolicyConditionsDto): PolicyConditions {
  const conditions: PolicyConditions = {};
  if (input.priorities !== undefined) conditions.priorities = [...new Set(input.priorities)];
  if (input.categories !== undefined) conditions.categories = [...new Set(input.categories)];
  if (input.channels !== undefined) conditions.channels = [...new Set(input.channels)];
  if (input.minVip !== undefined) conditions.minVip = input.minVip;
  return conditions;
}

/** The members that were given, so spreading them over defaults keeps the defaults of the others. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}
