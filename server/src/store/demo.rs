//! Demo data for `NOVA_DEMO=1`: two cabinets, their staff and patients, weekly hours, and a
//! realistic week of appointments, so a fresh `make run` shows a working practice.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use super::Store;
use crate::auth::password;
use crate::error::Result;

pub const DEMO_PASSWORD: &str = "nova-demo";

struct DemoUser {
    email: &'static str,
    first: &'static str,
    last: &'static str,
    role: &'static str,
    specialty: Option<&'static str>,
}

const PARC: &[DemoUser] = &[
    DemoUser {
        email: "dr.martin@nova-rdv.test",
        first: "Claire",
        last: "Martin",
        role: "practitioner",
        specialty: Some("Chirurgien-dentiste"),
    },
    DemoUser {
        email: "dr.bernard@nova-rdv.test",
        first: "Hugo",
        last: "Bernard",
        role: "practitioner",
        specialty: Some("Orthodontiste"),
    },
    DemoUser {
        email: "patient@nova-rdv.test",
        first: "Léa",
        last: "Dubois",
        role: "patient",
        specialty: None,
    },
    DemoUser {
        email: "patient2@nova-rdv.test",
        first: "Karim",
        last: "Benali",
        role: "patient",
        specialty: None,
    },
    DemoUser {
        email: "manager@nova-rdv.test",
        first: "Sophie",
        last: "Lambert",
        role: "manager",
        specialty: None,
    },
    DemoUser {
        email: "admin@nova-rdv.test",
        first: "Julien",
        last: "Moreau",
        role: "admin",
        specialty: None,
    },
];

const LUMIERE: &[DemoUser] = &[
    DemoUser {
        email: "dr.leroy@lumiere.nova-rdv.test",
        first: "Antoine",
        last: "Leroy",
        role: "practitioner",
        specialty: Some("Chirurgien-dentiste"),
    },
    DemoUser {
        email: "patient@lumiere.nova-rdv.test",
        first: "Chloé",
        last: "Girard",
        role: "patient",
        specialty: None,
    },
];

impl Store {
    /// Loads the demo cabinets when the database has none; a no-op otherwise.
    pub async fn load_demo(&self) -> Result<bool> {
        let (cabinets,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cabinets")
            .fetch_one(&self.pool)
            .await?;
        if cabinets > 0 {
            return Ok(false);
        }
        // One hash for all demo accounts: they share a password, and argon2 is slow on purpose.
        let hash = password::hash(DEMO_PASSWORD)?;
        let mut tx = self.pool.begin().await?;
        let now = Utc::now().timestamp();
        let mut ids = std::collections::HashMap::new();
        for (cabinet, name, city, users) in [
            ("cab-parc", "Cabinet Dentaire du Parc", "Paris", PARC),
            ("cab-lumiere", "Cabinet Lumière", "Lyon", LUMIERE),
        ] {
            sqlx::query("INSERT INTO cabinets (id, name, city, timezone, created_at) VALUES ($1, $2, $3, 'Europe/Paris', $4)")
                .bind(cabinet)
                .bind(name)
                .bind(city)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            for u in users {
                let id = uuid::Uuid::new_v4().to_string();
                sqlx::query(
                    "INSERT INTO users (id, cabinet_id, email, password_hash, first_name, last_name, role, specialty, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&id)
                .bind(cabinet)
                .bind(u.email)
                .bind(&hash)
                .bind(u.first)
                .bind(u.last)
                .bind(u.role)
                .bind(u.specialty)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if u.role == "practitioner" {
                    // i64, like every other bind into these BIGINT columns: PostgreSQL keeps
                    // this statement prepared per connection with the types first bound, and
                    // an identical statement bound with i64 later would then be refused.
                    for weekday in 1..=5_i64 {
                        for (start, end) in [(9 * 60_i64, 12 * 60_i64), (14 * 60, 18 * 60)] {
                            sqlx::query("INSERT INTO working_hours (practitioner_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)")
                                .bind(&id)
                                .bind(weekday)
                                .bind(start)
                                .bind(end)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                }
                ids.insert(u.email, (id, cabinet));
            }
        }

        // A week of appointments from today, at times that leave most of each day bookable.
        let tz: Tz = chrono_tz::Europe::Paris;
        let today = Utc::now().with_timezone(&tz).date_naive();
        let plan: &[(&str, &str, u32, u32, &str, u32)] = &[
            (
                "dr.martin@nova-rdv.test",
                "patient2@nova-rdv.test",
                10,
                0,
                "controle",
                20,
            ),
            (
                "dr.martin@nova-rdv.test",
                "patient2@nova-rdv.test",
                15,
                30,
                "soin",
                45,
            ),
            (
                "dr.bernard@nova-rdv.test",
                "patient@nova-rdv.test",
                9,
                30,
                "orthodontie",
                30,
            ),
            (
                "dr.leroy@lumiere.nova-rdv.test",
                "patient@lumiere.nova-rdv.test",
                11,
                0,
                "consultation",
                30,
            ),
        ];
        // The last working day before today too: its visits are held, except Dr Martin's first,
        // which nobody closed, so her agenda shows one visit "to close".
        let weekday = |d: &NaiveDate| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        let last_working_day = (1..=7)
            .map(|back| today - Duration::days(back))
            .find(weekday)
            .unwrap_or(today);
        let days = std::iter::once(last_working_day)
            .chain((0..8).map(|offset| today + Duration::days(offset)))
            .filter(weekday);
        for day in days {
            for (i, &(practitioner, patient, h, m, kind, minutes)) in plan.iter().enumerate() {
                let Some(start) = day
                    .and_hms_opt(h, m, 0)
                    .and_then(|t| tz.from_local_datetime(&t).earliest())
                else {
                    continue;
                };
                let start = start.timestamp();
                let status = if day == last_working_day && i == 0 {
                    "confirmed"
                } else if start < now {
                    "completed"
                } else {
                    "confirmed"
                };
                let (practitioner_id, cabinet) = &ids[practitioner];
                let (patient_id, _) = &ids[patient];
                sqlx::query(
                    "INSERT INTO appointments (id, cabinet_id, practitioner_id, patient_id, kind, status, starts_at, ends_at, duration, urgency, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'normal', $10, $11)",
                )
                .bind(uuid::Uuid::new_v4().to_string())
                .bind(cabinet)
                .bind(practitioner_id)
                .bind(patient_id)
                .bind(kind)
                .bind(status)
                .bind(start)
                .bind(start + i64::from(minutes) * 60)
                .bind(i64::from(minutes))
                .bind(now)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        super::demo_messages::load(&mut tx, &ids).await?;
        tx.commit().await?;
        Ok(true)
    }
}
