"""Runs of the nightly reconciliation with the national portal (what each run checked, found and queued again)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('integrations', '0002_portal_status_mapping'),
    ]

    operations = [
        migrations.CreateModel(
            name='PortalReconciliation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('running', 'Running'), ('done', 'Completed'), ('partial', 'Stopped at the per-run limit; the next run continues'), ('interrupted', 'Interrupted: the portal did not answer; the next run continues')], default='running', max_length=12, verbose_name='state')),
                ('started_at', models.DateTimeField(verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('window_start', models.DateTimeField(verbose_name='dossiers changed from')),
                ('window_end', models.DateTimeField(verbose_name='dossiers changed until')),
                ('cursor', models.PositiveBigIntegerField(default=0, verbose_name='last dossier checked')),
                ('checked', models.PositiveIntegerField(default=0, verbose_name='dossiers checked')),
                ('in_flight', models.PositiveIntegerField(default=0, verbose_name='dossiers with changes still queued')),
                ('missing', models.PositiveIntegerField(default=0, verbose_name='missing at the portal')),
                ('status_differs', models.PositiveIntegerField(default=0, verbose_name='different status')),
                ('dates_differ', models.PositiveIntegerField(default=0, verbose_name='different dates')),
                ('progress_missing', models.PositiveIntegerField(default=0, verbose_name='missing progress steps')),
                ('requeued', models.PositiveIntegerField(default=0, verbose_name='dossiers queued again')),
                ('errors', models.PositiveIntegerField(default=0, verbose_name='errors')),
                ('details', models.JSONField(blank=True, default=list, verbose_name='differences')),
                ('message', models.TextField(blank=True, verbose_name='message')),
            ],
            options={
                'verbose_name': 'national portal reconciliation',
                'verbose_name_plural': 'national portal reconciliations',
                'ordering': ['-started_at', '-pk'],
            },
        ),
    ]
