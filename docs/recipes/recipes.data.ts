/** The recipes' titles and ids, for the recipes index page. */
import { listRecipes } from '../scripts/recipe-list.js';

export interface RecipeEntry {
  id: string;
  title: string;
}

declare const data: RecipeEntry[];
export { data };

export default {
  watch: ['./*/recipe.json'],
  load(): RecipeEntry[] {
    return listRecipes().map((r) => ({ id: r.id, title: r.title }));
  },
};
