import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  type PipeTransform,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentViewer, Roles } from '../auth/auth.decorators';
import type { Viewer } from '../auth/roles';
import { AppError } from '../common/errors/app-error';
import { ApiIfMatch, ETAG_HEADER, sendEtag } from '../common/http/etag';
import type { FastifyReply } from 'fastify';
import { CategoriesService } from './categories.service';
import {
  CATALOGUE_KEY,
  CreateCategoryDto,
  NewSubcategoryDto,
  UpdateCategoryDto,
  UpdateSubcategoryDto,
} from './dto/category.dto';
import {
  CategoryListResponse,
  CategoryResponse,
  SubcategoryResponse,
  toCategoryResponse,
  toSubcategoryResponse,
} from './dto/category.response';

/** A path key that is not a catalogue key names nothing: 404, as an unknown one, without a query. */
class CatalogueKeyPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!CATALOGUE_KEY.test(value)) throw AppError.notFound(this.what);
    return value;
  }
}
function CategoryKey(): ParameterDecorator {
  return Param('key', new CatalogueKeyPipe('Category'));
}

function SubcategoryKey(): ParameterDecorator {
  return Param('sub', new CatalogueKeyPipe('Subcategory'));
}

const INVALID = 'Invalid fields, each listed in `errors` by path (`fields.0.pattern`).';
const ADMIN_ONLY = 'The caller is not an admin.';

@ApiTags('catalogue')
@ApiUnauthorizedResponse({ description: 'Missing or invalid token.' })
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  @ApiOperation({
    summary: 'The catalogue: categories with their subcategories and ticket fields',
    description: 'Customers see enabled categories and subcategories only; staff see disabled ones too.',
  })
  @ApiOkResponse({ type: CategoryListResponse })
  async list(@CurrentViewer() viewer: Viewer): Promise<CategoryListResponse> {
    const categories = await this.categories.list(viewer);
    return { data: categories.map(toCategoryResponse), nextCursor: null };
  }

  @Get(':key')
  @ApiOperation({ summary: 'One category' })
  @ApiParam({ name: 'key', example: 'deposit_withdrawal' })
  @ApiOkResponse({ type: CategoryResponse, headers: ETAG_HEADER })
  @ApiNotFoundResponse({ description: 'No such category (or, for a customer, a disabled one).' })
  async get(
    @CategoryKey() key: string,
    @CurrentViewer() viewer: Viewer,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CategoryResponse> {
    const category = await this.categories.get(key, viewer);
    return sendEtag(reply, category.version, toCategoryResponse(category));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a category (last in display order)' })
  @ApiCreatedResponse({ type: CategoryResponse, headers: ETAG_HEADER })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiConflictResponse({ description: 'A category with this key exists.' })
  async create(
    @Body() body: CreateCategoryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CategoryResponse> {
    const category = await this.categories.create(body);
    return sendEtag(reply, category.version, toCategoryResponse(category));
  }

  @Patch(':key')
  @Roles('admin')
  @ApiOperation({ summary: 'Rename, enable or disable a category, or replace its field definitions' })
  @ApiParam({ name: 'key', example: 'deposit_withdrawal' })
  @ApiOkResponse({ type: CategoryResponse, headers: ETAG_HEADER })
  @ApiIfMatch('category')
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: 'No such category.' })
  async update(
    @CategoryKey() key: string,
    @Body() body: UpdateCategoryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ): Promise<CategoryResponse> {
    const category = await this.categories.update(key, body, ifMatch);
    return sendEtag(reply, category.version, toCategoryResponse(category));
  }

  @Delete(':key')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a category no ticket uses' })
  @ApiParam({ name: 'key', example: 'deposit_withdrawal' })
  @ApiNoContentResponse({ description: 'Deleted, and removed from the groups that covered it.' })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: 'No such category.' })
  @ApiConflictResponse({ description: 'Tickets use the category: disable it instead.' })
  async remove(@CategoryKey() key: string): Promise<void> {
    await this.categories.remove(key);
  }

  @Post(':key/subcategories')
  @Roles('admin')
  @ApiOperation({ summary: 'Add a subcategory (last in display order)' })
  @ApiParam({ name: 'key', example: 'deposit_withdrawal' })
  @ApiCreatedResponse({ type: SubcategoryResponse })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: 'No such category.' })
  @ApiConflictResponse({ description: 'The category has a subcategory with this key.' })
  async addSubcategory(
    @CategoryKey() key: string,
    @Body() body: NewSubcategoryDto,
  ): Promise<SubcategoryResponse> {
    return toSubcategoryResponse(await this.categories.addSubcategory(key, body.key, body.name));
  }

  @Patch(':key/subcategories/:sub')
  @Roles('admin')
  @ApiOperation({ summary: 'Rename, enable or disable a subcategory' })
  @ApiParam({ name: 'key', example: 'deposit_withdrawal' })
  @ApiParam({ name: 'sub', example: 'withdrawal_delayed' })
  @ApiOkResponse({ type: SubcategoryResponse })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: 'No such category or subcategory.' })
  async updateSubcategory(
    @CategoryKey() key: string,
    @SubcategoryKey() sub: string,
    @Body() body: UpdateSubcategoryDto,
  ): Promise<SubcategoryResponse> {
    return toSubcategoryResponse(await this.categories.updateSubcategory(key, sub, body));
  }
}
