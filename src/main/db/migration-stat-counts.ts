// Version 10: project stats from counts kept by triggers, so they answer in a few rows at 100,000
// posts (a walk of the posts took 120-200 ms, every time the stats panel refreshed). Two tables:
// posts per (split, current labels, conflict), and annotation rows per (annotator, source). An
// absent label is stored as '' because a key column holding NULL would never match an upsert.
import type { Migration } from './migrations-types'

const KEY = ['split', 'label_overall', 'label_text', 'label_image', 'conflict'] as const
const keyOf = (row: 'NEW' | 'OLD'): string[] => KEY.map((c) => (c.startsWith('label_') ? `coalesce(${row}.${c}, '')` : `${row}.${c}`))
const matches = (row: 'NEW' | 'OLD'): string => KEY.map((c, i) => `${c} = ${keyOf(row)[i]}`).join(' AND ')

const joinPosts = (): string => `
        INSERT INTO post_counts (project_id, ${KEY.join(', ')}, n) VALUES (NEW.project_id, ${keyOf('NEW').join(', ')}, 1)
          ON CONFLICT (project_id, ${KEY.join(', ')}) DO UPDATE SET n = n + 1;`
const leavePosts = (): string => `
        UPDATE post_counts SET n = n - 1 WHERE project_id = OLD.project_id AND ${matches('OLD')};`
const joinAnnotators = `
        INSERT INTO annotator_counts (project_id, annotator, source, n) VALUES (NEW.project_id, NEW.annotator, NEW.source, 1)
          ON CONFLICT (project_id, annotator, source) DO UPDATE SET n = n + 1;`
const leaveAnnotators = `
        UPDATE annotator_counts SET n = n - 1 WHERE project_id = OLD.project_id AND annotator = OLD.annotator AND source = OLD.source;`

export const STAT_COUNTS: Migration = {
  version: 10,
  name: 'project stats from counts kept by triggers',
  sql: `
      CREATE TABLE post_counts (
        project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        split         TEXT NOT NULL,
        label_overall TEXT NOT NULL,
        label_text    TEXT NOT NULL,
        label_image   TEXT NOT NULL,
        conflict      INTEGER NOT NULL,
        n             INTEGER NOT NULL,
        PRIMARY KEY (project_id, ${KEY.join(', ')})
      ) WITHOUT ROWID;
      INSERT INTO post_counts (project_id, ${KEY.join(', ')}, n)
        SELECT project_id, split, coalesce(label_overall, ''), coalesce(label_text, ''), coalesce(label_image, ''), conflict, count(*)
        FROM posts GROUP BY project_id, ${KEY.join(', ')};
      CREATE TRIGGER posts_stat_insert AFTER INSERT ON posts
      BEGIN${joinPosts()}
      END;
      CREATE TRIGGER posts_stat_delete AFTER DELETE ON posts
      BEGIN${leavePosts()}
      END;
      CREATE TRIGGER posts_stat_update AFTER UPDATE OF project_id, ${KEY.join(', ')} ON posts
      WHEN ${KEY.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')} OR OLD.project_id IS NOT NEW.project_id
      BEGIN${leavePosts()}${joinPosts()}
      END;

      CREATE TABLE annotator_counts (
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        annotator  TEXT NOT NULL,
        source     TEXT NOT NULL,
        n          INTEGER NOT NULL,
        PRIMARY KEY (project_id, annotator, source)
      ) WITHOUT ROWID;
      INSERT INTO annotator_counts (project_id, annotator, source, n)
        SELECT project_id, annotator, source, count(*) FROM annotations GROUP BY project_id, annotator, source;
      CREATE TRIGGER annotations_stat_insert AFTER INSERT ON annotations
      BEGIN${joinAnnotators}
      END;
      CREATE TRIGGER annotations_stat_delete AFTER DELETE ON annotations
      BEGIN${leaveAnnotators}
      END;
      CREATE TRIGGER annotations_stat_update AFTER UPDATE OF project_id, annotator, source ON annotations
      WHEN OLD.project_id IS NOT NEW.project_id OR OLD.annotator IS NOT NEW.annotator OR OLD.source IS NOT NEW.source
      BEGIN${leaveAnnotators}${joinAnnotators}
      END;
  `,
}
