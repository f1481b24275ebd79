import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ConnectionSettings } from '@app/contracts';

/** The secrets of one connection; stored only as one AES-256-GCM ciphertext (`secrets_enc`). */
export interface ConnectionSecrets {
  amcToken: string;
  joorClientSecret: string;
  joorPassword: string;
  joorV2Token: string;
}

/** One brand: an AMC account paired with a JOOR account, with its own settings. */
@Entity({ name: 'connection' })
export class ConnectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ name: 'amc_base_url', type: 'text' })
  amcBaseUrl: string;

  @Column({ name: 'joor_v2_base_url', type: 'text' })
  joorV2BaseUrl: string;

  @Column({ name: 'joor_v4_base_url', type: 'text' })
  joorV4BaseUrl: string;

  @Column({ name: 'joor_auth_url', type: 'text' })
  joorAuthUrl: string;

  @Column({ name: 'joor_account_id', type: 'text' })
  joorAccountId: string;

  @Column({ name: 'joor_client_id', type: 'text' })
  joorClientId: string;

  @Column({ name: 'joor_username', type: 'text' })
  joorUsername: string;

  @Column({ name: 'secrets_enc', type: 'text' })
  secretsEnc: string;

  @Column({ type: 'jsonb' })
  settings: ConnectionSettings;

  /**
   * When the connection was paused (its schedules stopped, its jobs stopped and waiting); null: it
   * runs. Written only by ConnectionRepository.pause/resume (`update: false`: saving the entity for
   * a settings change never undoes a pause that came in meanwhile).
   */
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true, update: false })
  pausedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
