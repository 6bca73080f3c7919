import { Injectable } from '@nestjs/common';
import { isStaff, type Viewer } from '../auth/roles';
import { AppError } from '../common/errors/app-error';
import { expectedVersion, staleVersion } from '../common/http/etag';
import { type Category, CategoriesRepository, type Subcategory } from './categories.repository';
import type { CreateCategoryDto, UpdateCategoryDto, UpdateSubcategoryDto } from './dto/category.dto';
import { fieldDefinitionErrors, toFieldDefinition, type FieldDefinition } from './field-definitions';

/** The catalogue's rules: who sees what, valid field definitions, keys unique, used categories kept. */
@Injectable()
export class CategoriesService {
  constructor(private readonly categories: CategoriesRepository) {}

  /** Staff see the whole catalogue; customers only enabled categories and subcategories. */
  list(viewer: Viewer): Promise<Category[]> {
    return this.categories.listInOrder(isStaff(viewer));
  }

  async get(key: string, viewer: Viewer): Promise<Category> {
    const category = await this.categories.findByKey(key, isStaff(viewer));
    if (!category) throw AppError.notFound('Category');
    return category;
  }

  async create(input: CreateCategoryDto): Promise<Category> {
    const fields = (input.fields ?? []).map(toFieldDefinition);
    const requireOneOf = input.requireOneOf ?? [];
    const subcategories = input.subcategories ?? [];
    const errors = fieldDefinitionErrors(fields, requireOneOf);
    const seen = new Set<string>();
    subcategories.forEach((subcategory, index) => {
      if (seen.has(subcategory.key)) {
        errors.push({ field: `subcategories.${index}.key`, message: `duplicates "${subcategory.key}"` });
      }
      seen.add(subcategory.key);
    });
    if (errors.length > 0) throw AppError.validation(errors);
    if (await this.categories.findByKey(input.key)) {
      throw new AppError('conflict', `A category with key "${input.key}" already exists.`);
    }
    return this.categories.create({
      key: input.key,
      name: input.name,
      fields,
      requireOneOf,
      subcategories: subcategories.map(({ key, name }) => ({ key, name })),
    });
  }

  /** `requireOneOf` must name fields of the category as it will be, given or kept. */
  async update(key: string, input: UpdateCategoryDto, ifMatch?: string): Promise<Category> {
    const current = await this.categories.findByKey(key);
    if (!current) throw AppError.notFound('Category');
    const version = expectedVersion('category', ifMatch, current.version);
    const fields: FieldDefinition[] | undefined = input.fields?.map(toFieldDefinition);
    if (fields !== undefined || input.requireOneOf !== undefined) {
      const errors = fieldDefinitionErrors(
        fields ?? current.fields,
        input.requireOneOf ?? current.requireOneOf,
      );
      if (errors.length > 0) throw AppError.validation(errors);
    }
    const updated = await this.categories.update(
      key,
      { name: input.name, enabled: input.enabled, fields, requireOneOf: input.requireOneOf },
      version,
    );
    if (updated) return updated;
    const now = await this.categories.findByKey(key);
    if (!now) throw AppError.notFound('Category');
    throw staleVersion('category', now.version);
  }

  async remove(key: string): Promise<void> {
    const outcome = await this.categories.deleteUnused(key);
    if (outcome === 'not_found') throw AppError.notFound('Category');
    if (outcome === 'in_use') {
      throw new AppError('conflict', `Tickets use category "${key}": disable it instead of deleting it.`);
    }
  }

  async addSubcategory(categoryKey: string, key: string, name: string): Promise<Subcategory> {
    if (!(await this.categories.findByKey(categoryKey))) throw AppError.notFound('Category');
    if (await this.categories.subcategoryExists(categoryKey, key)) {
      throw new AppError('conflict', `Category "${categoryKey}" already has a subcategory "${key}".`);
    }
    const created = await this.categories.createSubcategory(categoryKey, key, name);
    if (!created) throw AppError.notFound('Category');
    return created;
  }

  async updateSubcategory(
    categoryKey: string,
    key: string,
    input: UpdateSubcategoryDto,
  ): Promise<Subcategory> {
    const updated = await this.categories.updateSubcategory(categoryKey, key, input);
    if (!updated) throw AppError.notFound('Subcategory');
    return updated;
  }

  /** The given keys that name no category, for features that refer to categories (groups, SLA policies). */
  findUnknownKeys(keys: string[]): Promise<string[]> {
    return this.categories.findMissingKeys(keys);
  }
}
