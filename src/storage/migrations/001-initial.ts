// The initial schema: users and credentials, the CRM records chats link to, topics, agents, sessions, messages.
// Runs on SQLite and PostgreSQL; booleans are 0/1 integers on both so rows read the same everywhere.
import { type ColumnDataType, type Kysely, PostgresAdapter, sql } from 'kysely';

type DataTypeExpression = ColumnDataType;

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const id: DataTypeExpression = pg ? 'serial' : 'integer';
  const idOpts = (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  const instant: DataTypeExpression = pg ? 'timestamptz' : 'text';
  const flag = (c: any) => c.notNull().defaultTo(0);
  const text = (c: any) => c.notNull().defaultTo('');
  const int = (c: any) => c.notNull().defaultTo(0);

  await db.schema
    .createTable('associates')
    .addColumn('id', id, idOpts)
    .addColumn('user_name', 'varchar(50)', (c) => c.notNull())
    .addColumn('full_name', 'varchar(255)', text)
    .addColumn('password_hash', 'text')
    .addColumn('is_admin', 'integer', flag)
    .addColumn('present', 'integer', flag)
    .addColumn('person_id', 'integer')
    .addColumn('group_name', 'varchar(255)', text)
    .addColumn('user_type', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('deleted', 'integer', flag)
    .addColumn('credentials_changed', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('associates_user_name').unique().on('associates').expression(sql`lower(user_name)`).execute();

  // Hashed SoTickets, API tokens, web sessions and application tokens: one table, told apart by kind.
  await db.schema
    .createTable('credentials')
    .addColumn('id', id, idOpts)
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('associate_id', 'integer', (c) => c.references('associates.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', text)
    .addColumn('xsrf_token', 'varchar(64)')
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('expires_at', instant)
    .addColumn('revoked', 'integer', flag)
    .execute();

  for (const table of ['customer_languages', 'ticket_categories', 'ticket_priorities', 'reply_templates', 'kb_categories']) {
    await db.schema
      .createTable(table)
      .addColumn('id', id, idOpts)
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('description', 'varchar(255)', text)
      .execute();
  }

  await db.schema
    .createTable('contacts')
    .addColumn('id', id, idOpts)
    .addColumn('name', 'varchar(255)', text)
    .addColumn('department', 'varchar(255)', text)
    .addColumn('org_nr', 'varchar(40)', text)
    .addColumn('url', 'varchar(255)', text)
    .addColumn('city', 'varchar(255)', text)
    .addColumn('direct_phone', 'varchar(64)', text)
    .addColumn('email_address', 'varchar(255)', text)
    .addColumn('associate_id', 'integer')
    .addColumn('country_id', 'integer', int)
    .addColumn('address1', 'varchar(255)', text)
    .addColumn('zipcode', 'varchar(32)', text)
    .execute();
  await db.schema
    .createTable('persons')
    .addColumn('id', id, idOpts)
    .addColumn('firstname', 'varchar(255)', text)
    .addColumn('middle_name', 'varchar(255)', text)
    .addColumn('lastname', 'varchar(255)', text)
    .addColumn('title', 'varchar(255)', text)
    .addColumn('email', 'varchar(255)', text)
    .addColumn('mobile_phone', 'varchar(64)', text)
    .addColumn('direct_phone', 'varchar(64)', text)
    .addColumn('contact_id', 'integer')
    .addColumn('associate_id', 'integer')
    .execute();
  await db.schema
    .createTable('projects')
    .addColumn('id', id, idOpts)
    .addColumn('name', 'varchar(255)', text)
    .addColumn('description', 'varchar(1024)', text)
    .addColumn('project_number', 'varchar(64)', text)
    .addColumn('type_name', 'varchar(255)', text)
    .addColumn('status_name', 'varchar(255)', text)
    .addColumn('associate_id', 'integer')
    .addColumn('updated', instant)
    .execute();
  await db.schema
    .createTable('sales')
    .addColumn('id', id, idOpts)
    .addColumn('title', 'varchar(255)', text)
    .addColumn('description', 'varchar(1024)', text)
    .addColumn('amount', 'double precision', int)
    .addColumn('currency', 'varchar(16)', text)
    .addColumn('probability', 'integer', int)
    .addColumn('status', 'integer', int)
    .addColumn('sale_date', instant)
    .addColumn('contact_id', 'integer')
    .addColumn('person_id', 'integer')
    .addColumn('project_id', 'integer')
    .addColumn('associate_id', 'integer')
    .addColumn('number', 'varchar(64)', text)
    .execute();
  await db.schema
    .createTable('tickets')
    .addColumn('id', id, idOpts)
    .addColumn('title', 'varchar(255)', text)
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('last_changed', instant, (c) => c.notNull())
    .addColumn('base_status', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('origin', 'integer', int)
    .addColumn('category_id', 'integer')
    .addColumn('priority_id', 'integer')
    .addColumn('person_id', 'integer')
    .addColumn('owned_by', 'integer')
    .addColumn('created_by', 'integer')
    .addColumn('author', 'varchar(255)', text)
    .addColumn('from_address', 'varchar(255)', text)
    .execute();

  await createTopics(db, { id, idOpts, instant, flag, text, int });

  await db.schema
    .createTable('chat_topic_agents')
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('chat_topics.id').onDelete('cascade'))
    .addColumn('associate_id', 'integer', (c) => c.notNull().references('associates.id').onDelete('cascade'))
    .addColumn('can_listen', 'integer', flag)
    .addColumn('can_respond', 'integer', flag)
    .addColumn('can_manage', 'integer', flag)
    .addColumn('can_notify', 'integer', flag)
    .addPrimaryKeyConstraint('chat_topic_agents_pk', ['topic_id', 'associate_id'])
    .execute();
  // ChatSessionsForUser starts from the caller's memberships.
  await db.schema.createIndex('chat_topic_agents_associate').on('chat_topic_agents').columns(['associate_id', 'topic_id']).execute();

  await createSessions(db, { id, idOpts, instant, flag, text, int });
}

interface Columns {
  id: DataTypeExpression;
  idOpts: (c: any) => any;
  instant: DataTypeExpression;
  flag: (c: any) => any;
  text: (c: any) => any;
  int: (c: any) => any;
}

async function createTopics(db: Kysely<any>, { id, idOpts, instant, flag, text, int }: Columns) {
  let t = db.schema
    .createTable('chat_topics')
    .addColumn('id', id, idOpts)
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', text)
    .addColumn('welcome_message', 'text', text)
    .addColumn('language_id', 'integer')
    .addColumn('last_accept', instant)
    .addColumn('seconds_pr_accept', 'integer', int)
    .addColumn('alert_recipient', 'varchar(255)', text)
    .addColumn('alert_template_id', 'integer')
    .addColumn('collect_consent', 'integer', flag)
    .addColumn('badge_header', 'varchar(255)', text)
    .addColumn('custom_queue_text_enabled', 'integer', flag)
    .addColumn('custom_queue_text', 'varchar(255)', text)
    .addColumn('warn_new_chat_minutes', 'integer', int)
    .addColumn('warn_manager_new_chat_minutes', 'integer', int)
    .addColumn('ticket_enabled', 'integer', flag)
    .addColumn('ticket_category_id', 'integer')
    .addColumn('ticket_priority_id', 'integer')
    .addColumn('opening_hours_enabled', 'integer', flag)
    .addColumn('tz_location', 'varchar(64)');
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) {
    t = t.addColumn(`${day}_enabled`, 'integer', flag).addColumn(`${day}_start`, 'integer', int).addColumn(`${day}_stop`, 'integer', int);
  }
  t = t.addColumn('use_lunch_hours', 'integer', flag).addColumn('lunch_start', 'integer', int).addColumn('lunch_stop', 'integer', int);
  const widgetText: Array<[string, number]> = [
    ['pre_form_message', 1024],
    ['post_form_header', 255],
    ['post_form_message', 1024],
    ['language_iso_code', 63],
    ['color', 16],
    ['badge_color', 16],
    ['badge_text_color', 16],
    ['cust_msg_color', 16],
    ['cust_msg_text_color', 16],
    ['agent_msg_color', 16],
    ['agent_msg_text_color', 16],
    ['button_color', 16],
    ['button_text_color', 16],
    ['font', 64],
    ['font_size', 16],
    ['logo_name', 255],
    ['welcome_title', 255],
    ['welcome_message', 255],
    ['offline_header', 255],
    ['offline_message', 1024],
  ];
  for (const [name, length] of widgetText) t = t.addColumn(`widget_${name}`, `varchar(${length})`, text);
  for (const name of [
    'auto_faq_enabled',
    'pre_form_enabled',
    'post_form_enabled',
    'post_transcript_enabled',
    'logo_enabled',
    'show_agent_photo',
    'use_agent_firstname',
  ])
    t = t.addColumn(`widget_${name}`, 'integer', flag);
  for (const name of ['required_fields', 'size', 'theme', 'logo_blob_id', 'offline_fields']) {
    t = t.addColumn(`widget_${name}`, 'integer', int);
  }
  t = t
    .addColumn('widget_auto_faq_category_id', 'integer')
    .addColumn('bot_enabled', 'integer', flag)
    .addColumn('bot_name', 'varchar(80)', text)
    .addColumn('bot_register_script_id', 'integer', int)
    .addColumn('bot_session_created_script_id', 'integer', int)
    .addColumn('bot_session_changed_script_id', 'integer', int)
    .addColumn('bot_message_received_script_id', 'integer', int)
    .addColumn('offline_collect_consent', 'integer', flag)
    .addColumn('warn_chat_message_minutes', 'integer', int)
    .addColumn('warn_manager_chat_message_minutes', 'integer', int)
    .addColumn('use_queue_offline_form', 'integer', flag)
    .addColumn('offline_form_time_limit', 'integer', int)
    .addColumn('offline_form_queue_length', 'integer', int)
    .addColumn('widget_enable_rating', 'integer', flag)
    .addColumn('widget_rating_text', 'varchar(1024)', text);
  await t.execute();
}

async function createSessions(db: Kysely<any>, { id, idOpts, instant, flag, text, int }: Columns) {
  await db.schema
    .createTable('chat_sessions')
    .addColumn('id', id, idOpts)
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('chat_topics.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('associates.id').onDelete('set null'))
    .addColumn('person_id', 'integer')
    .addColumn('customer_alias', 'varchar(64)', text)
    .addColumn('customer_host', 'varchar(255)', text)
    .addColumn('customer_name', 'varchar(255)', text)
    .addColumn('customer_email', 'varchar(255)', text)
    .addColumn('customer_phone', 'varchar(32)', text)
    .addColumn('customer_consented', 'integer', flag)
    .addColumn('customer_company_name', 'varchar(255)', text)
    .addColumn('status', 'integer', int)
    .addColumn('first_message', 'varchar(1024)', text)
    .addColumn('last_message', 'varchar(1024)', text)
    .addColumn('when_requested', instant)
    .addColumn('when_started', instant)
    .addColumn('when_ended', instant)
    .addColumn('when_idle', instant)
    .addColumn('when_fetched', instant)
    .addColumn('session_key', 'varchar(255)', text)
    .addColumn('initial_queue_pos', 'integer', int)
    .addColumn('alert_level', 'integer', int)
    .addColumn('rank', 'integer', int)
    .addColumn('flags', 'integer', int)
    .addColumn('contact_id', 'integer')
    .addColumn('project_id', 'integer')
    .addColumn('sale_id', 'integer')
    .addColumn('ticket_id', 'integer')
    .addColumn('transfer_to_id', 'integer', (c) => c.references('associates.id').onDelete('set null'))
    .addColumn('chatbot_is_active', 'integer', flag)
    .addColumn('rating', 'integer', int)
    .execute();
  // The sessions of one topic, in id order, without touching other topics' rows.
  await db.schema.createIndex('chat_sessions_topic').on('chat_sessions').columns(['topic_id', 'id']).execute();
  await db.schema.createIndex('chat_sessions_status').on('chat_sessions').columns(['status', 'topic_id', 'id']).execute();
  await db.schema.createIndex('chat_sessions_user').on('chat_sessions').columns(['user_id']).execute();

  await db.schema
    .createTable('chat_messages')
    .addColumn('id', id, idOpts)
    .addColumn('session_id', 'integer', (c) => c.notNull().references('chat_sessions.id').onDelete('cascade'))
    .addColumn('type', 'integer', int)
    .addColumn('message', 'text', text)
    .addColumn('author', 'varchar(255)', text)
    .addColumn('read_by_customer', 'integer', int)
    .addColumn('special_type', 'integer', int)
    .addColumn('special_param', 'varchar(255)', text)
    .addColumn('when_posted', instant, (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .execute();
  await db.schema.createIndex('chat_messages_session').on('chat_messages').columns(['session_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'chat_messages',
    'chat_sessions',
    'chat_topic_agents',
    'chat_topics',
    'tickets',
    'sales',
    'projects',
    'persons',
    'contacts',
    'kb_categories',
    'reply_templates',
    'ticket_priorities',
    'ticket_categories',
    'customer_languages',
    'credentials',
    'associates',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
