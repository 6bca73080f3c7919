import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories/categories.module';
import { GroupsController } from './groups.controller';
import { GroupsRepository } from './groups.repository';
import { GroupsService } from './groups.service';

/** Agent groups by tier and category: where tickets are routed and escalated to. */
@Module({
  imports: [CategoriesModule],
  controllers: [GroupsController],
  providers: [GroupsService, GroupsRepository],
  exports: [GroupsService, GroupsRepository],
})
export class GroupsModule {}
